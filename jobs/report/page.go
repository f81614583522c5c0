package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/rfmjob/rfm/jobs/store"
)

// Section is a titled group of charts on the page.
type Section struct {
	ID, Title string
	Charts    []Chart
}

// Figure is one key figure at the top of the page.
type Figure struct {
	Label, Value, Note string
}

// Sections returns the page's sections with the charts the data allows, in page order. A chart
// whose table or columns are missing is left out, and so is a section left without charts.
func Sections(d *Data) []Section {
	t := d.Tables
	var out []Section
	add := func(id, title string, charts ...Chart) {
		var kept []Chart
		for _, c := range charts {
			if c.SVG != "" {
				kept = append(kept, c)
			}
		}
		if len(kept) > 0 {
			out = append(out, Section{id, title, kept})
		}
	}
	opt := func(c Chart, ok bool) Chart {
		if !ok {
			return Chart{}
		}
		return c
	}

	var rf, rfm, seg Chart
	cust := t["customers"]
	r, okR := cust.Numbers("r_score")
	f, okF := cust.Numbers("f_score")
	if okR && okF {
		m, _ := cust.Numbers("monetary")
		if g, ok := newRFGrid(r, f, m); ok {
			rf = rfHeatmap(g, false)
			if m != nil {
				rfm = rfHeatmap(g, true)
			}
		}
	}
	if rows, ok := segmentRows(t["segments"]); ok {
		seg = segmentChart(rows)
	}
	add("rfm", "Recency, frequency, monetary", rf, rfm)

	pt, okP := readPareto(t["pareto"])
	var lorenz, whale Chart
	if okP {
		lorenz = opt(lorenzChart(pt))
		whale = opt(whaleChart(pt))
	}
	add("concentration", "Segments and concentration", seg, lorenz)

	var pyramid, cts Chart
	tiers, okT := tierRows(t["tiers"])
	if okT {
		pyramid = pyramidChart(tiers)
	}
	if cells, ok := ctsCells(t["cost_to_serve"]); ok {
		cts = ctsChart(cells, tierNames(tiers))
	}
	add("profit", "Profitability", pyramid, whale, cts)

	var mig, flow Chart
	if m, ok := readMigration(t["migration"], tierNames(tiers)); ok {
		mv, okM := d.Movement()
		mig = migrationChart(m, mv.Previous)
		flow = opt(flowChart(m, mv, okM, d.AsOf))
	}
	add("movement", "Movement since the previous date", mig, flow)

	var snake Chart
	if features, profiles, ok := readClusters(t["clusters"]); ok {
		snake = snakeChart(features, profiles)
	}
	add("clusters", "Behavioural clusters", snake)

	var clv, alive, months, churn Chart
	v, okV := cust.Numbers("clv")
	if okV {
		clv = opt(clvChart(v))
		lo, okLo := cust.Numbers("clv_lo")
		hi, okHi := cust.Numbers("clv_hi")
		if clv.SVG != "" && okLo && okHi {
			clv.Reading += intervalNote(v, lo, hi)
		}
	}
	pa, okA := cust.Numbers("p_alive")
	rec, okRec := cust.Numbers("recency_days")
	if okA && okRec {
		freq, _ := cust.Numbers("frequency")
		alive = opt(aliveChart(rec, pa, freq))
	}
	if grain, groups, value, ms, ok := monthRows(t["clv"]); ok {
		months = opt(monthChart(grain, groups, value, ms))
	}
	if band, ok := cust.Strings("churn_band"); ok {
		churn = opt(churnChart(band, v))
	}
	add("predicted", "Predicted value", clv, alive, months, churn)

	if d.Manifest != nil {
		add("quality", "Data quality", qualityChart(d.Manifest))
	}
	return out
}

func tierNames(rows []tierRow) []string {
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = r.name
	}
	return names
}

// KeyFigures returns the headline numbers the data allows: customers, revenue, profit, the
// top-20% share, the Gini coefficient and the expected number of customers alive (Σ p_alive).
func KeyFigures(d *Data) []Figure {
	var out []Figure
	cust := d.Tables["customers"]
	pt, _ := readPareto(d.Tables["pareto"])
	n := math.NaN()
	switch {
	case d.Manifest != nil:
		n = float64(d.Manifest.Customers)
	case cust != nil:
		n = float64(cust.Len())
	}
	if v, ok := pt.metric("customers"); ok && isNull(n) {
		n = v
	}
	if !isNull(n) {
		out = append(out, Figure{"Customers", count(int64(n)), "in the outputs"})
	}
	if m, ok := cust.Numbers("monetary"); ok {
		out = append(out, Figure{"Revenue", money(sum(m)), "net of returns"})
	} else if v, ok := pt.metric("total_value"); ok {
		out = append(out, Figure{"Revenue", money(v), "net of returns"})
	}
	if p, ok := cust.Numbers("profit"); ok {
		out = append(out, Figure{"Profit", money(sum(p)), "after cost of goods and cost to serve"})
	}
	top20, ok := pt.metric("top_20pct_share")
	if !ok && d.Manifest != nil && d.Manifest.Customers > 0 {
		top20, ok = d.Manifest.Highlights.Top20PctShare, true
	}
	if ok {
		out = append(out, Figure{"Top 20% share", pct(top20), "of revenue made by the top 20% of customers"})
	}
	gini, ok := pt.metric("gini")
	if !ok && d.Manifest != nil && d.Manifest.Customers > 0 {
		gini, ok = d.Manifest.Highlights.Gini, true
	}
	if ok {
		out = append(out, Figure{"Gini", strconv.FormatFloat(gini, 'f', 2, 64), "0 = everyone spends alike, 1 = one customer has it all"})
	}
	if a, ok := cust.Numbers("p_alive"); ok {
		alive := sum(a)
		note := "expected, the sum of p_alive"
		if !isNull(n) && n > 0 {
			note = fmt.Sprintf("expected (%s of customers), the sum of p_alive", pct(alive/n))
		}
		out = append(out, Figure{"Customers alive", count(int64(math.Round(alive))), note})
	}
	return out
}

// sum adds the non-null values.
func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		if !isNull(x) {
			s += x
		}
	}
	return s
}

//go:embed page.html.tmpl
var pageSource string

var pageTemplate = template.Must(template.New("page").Parse(pageSource))

// pageData is what the template shows.
type pageData struct {
	Heading  string // "Customer value report"
	AsOf     string
	Run      string
	Figures  []Figure
	Sections []pageSection
	Stages   string
	Warnings []string
}

type pageSection struct {
	ID, Title string
	Charts    []pageChart
}

type pageChart struct {
	Chart
	Image template.HTML
	Lone  bool // a half-width chart without a neighbour: centred on the full width
}

// Render writes the page of d: self-contained HTML (inline CSS and SVG, no script, font or URL)
// that reads on a laptop screen and prints on A4 or Letter.
func Render(w io.Writer, d *Data) error {
	var stages []store.Stage
	if d.Manifest != nil {
		stages = d.Manifest.Stages
	}
	return Prepare(d).Render(w, stages)
}

// Draft is a page with every chart drawn, waiting only for the run's stage times: a run
// prepares it while its tables are being written and renders it once they are.
type Draft struct {
	pd          pageData
	hasManifest bool
}

// Prepare draws the page of d, all but the stage times of its footer.
func Prepare(d *Data) *Draft {
	dr := &Draft{pd: pageData{Heading: "Customer value report", AsOf: d.AsOf, Figures: KeyFigures(d)}}
	if m := d.Manifest; m != nil {
		dr.hasManifest = true
		dr.pd.Run = fmt.Sprintf("rfm %s · %s engine · time zone %s", m.Version, m.Engine, m.Window.Timezone)
		if m.Window.Start != "" {
			dr.pd.Run += fmt.Sprintf(" · window %s to %s", m.Window.Start, d.AsOf)
		}
		if m.StartedAt != "" {
			dr.pd.Run += " · started " + m.StartedAt
		}
		dr.pd.Warnings = m.Warnings
	}
	dr.pd.Sections = layout(Sections(d))
	return dr
}

// Render writes the page with the run's stages in its footer: those before the report, which
// are all a rebuild finds the same in the committed manifest (the page is part of the commit).
func (dr *Draft) Render(w io.Writer, stages []store.Stage) error {
	pd := dr.pd
	if dr.hasManifest {
		if k := slices.IndexFunc(stages, func(s store.Stage) bool { return s.Name == "report" }); k >= 0 {
			stages = stages[:k]
		}
		total := 0.0
		for _, s := range stages {
			total += s.Seconds
		}
		if len(stages) > 0 {
			pd.Stages = fmt.Sprintf("The run took %ss before the report:", decimal(total, 2))
			for i, s := range stages {
				sep := ","
				if i == 0 {
					sep = ""
				}
				pd.Stages += fmt.Sprintf("%s %s %ss", sep, s.Name, decimal(s.Seconds, 2))
			}
			pd.Stages += "."
		}
	}
	return pageTemplate.Execute(w, pd)
}

// layout places the sections' charts: a half-width chart without a neighbour is centred.
func layout(sections []Section) []pageSection {
	var out []pageSection
	for _, s := range sections {
		ps := pageSection{ID: s.ID, Title: s.Title}
		run := 0 // half-width charts since the last wide one
		for i, c := range s.Charts {
			// The SVG is built here from escaped text only.
			pc := pageChart{Chart: c, Image: template.HTML(c.SVG)}
			if !c.Wide {
				run++
				last := i == len(s.Charts)-1 || s.Charts[i+1].Wide
				pc.Lone = last && run%2 == 1
			} else {
				run = 0
			}
			ps.Charts = append(ps.Charts, pc)
		}
		out = append(out, ps)
	}
	return out
}
