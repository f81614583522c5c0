package report

import (
	"fmt"
	"math"
	"sort"
)

// rowFate is one destination of input rows: used, rejected for a reason, or excluded.
type rowFate struct {
	name  string
	rows  int64
	class string // used, rejected or excluded
}

// rowFates lists where the manifest says the rows went, rejections by reason, largest first.
func rowFates(m *Manifest) []rowFate {
	r := m.Rows
	out := []rowFate{{"used", r.Used, "used"}}
	var reasons []rowFate
	var byReason int64
	for name, n := range r.RejectedByReason {
		if n > 0 {
			reasons = append(reasons, rowFate{"rejected: " + name, n, "rejected"})
			byReason += n
		}
	}
	sort.Slice(reasons, func(i, j int) bool {
		if reasons[i].rows != reasons[j].rows {
			return reasons[i].rows > reasons[j].rows
		}
		return reasons[i].name < reasons[j].name
	})
	out = append(out, reasons...)
	if rest := r.Rejected - byReason; rest > 0 {
		out = append(out, rowFate{"rejected: other", rest, "rejected"})
	}
	if len(reasons) == 0 && r.Rejected == 0 {
		out = append(out, rowFate{"rejected", 0, "rejected"})
	}
	out = append(out, rowFate{"after the as-of date", r.AfterAsOf, "excluded"})
	if r.BeforeWindow > 0 || m.Window.Start != "" {
		out = append(out, rowFate{"before the window", r.BeforeWindow, "excluded"})
	}
	return out
}

// qualityChart draws how many input rows were used, rejected (by reason) and excluded, each
// bar labelled with its count and share of the rows read.
func qualityChart(m *Manifest) Chart {
	fates := rowFates(m)
	read := float64(m.Rows.Read)
	var top int64
	for _, f := range fates {
		top = max(top, f.rows)
	}
	const w = 560
	rowH := 28.0
	h := 14 + rowH*float64(len(fates)) + 52
	xmax := niceMax(float64(top), 5)
	p := newPlot(w, h, 170, 100, 14, 52, 0, xmax, 0, 1)
	title := "Data quality: where the input rows went"
	s := newSVG(w, h, title)
	xt := ticksOf(niceTicks(0, xmax, 4), money)
	s.vgrid(p, xt)
	fill := map[string]string{"used": colour(2), "rejected": colour(5), "excluded": "#a1a1aa"}
	for i, f := range fates {
		y := p.top + rowH*float64(i)
		s.text(p.left-8, y+rowH/2+4, "end", "label", f.name)
		bw := p.x.at(float64(f.rows)) - p.left
		if f.rows > 0 {
			bw = math.Max(bw, 2)
		}
		s.rect(p.left, y+5, bw, rowH-10, fill[f.class], fmt.Sprintf(` class="bar" data-rows="%d"`, f.rows), fmt.Sprintf("%s: %s rows", f.name, count(f.rows)))
		label := count(f.rows)
		if read > 0 {
			label += " (" + pct(float64(f.rows)/read) + ")"
		}
		s.text(p.left+bw+6, y+rowH/2+4, "start", "value", label)
	}
	s.axes(p, xt, nil, "input rows (count)", "")
	return Chart{ID: "quality", Title: title, Reading: qualityReading(m, fates), SVG: s.String()}
}

func qualityReading(m *Manifest, fates []rowFate) string {
	r := m.Rows
	if r.Read == 0 {
		return "No input rows were read."
	}
	read := float64(r.Read)
	s := fmt.Sprintf("%s of %s rows read were used", pct(float64(r.Used)/read), count(r.Read))
	if r.Rejected > 0 {
		top := ""
		for _, f := range fates {
			if f.class == "rejected" {
				top = f.name[len("rejected: "):]
				break
			}
		}
		s += fmt.Sprintf("; %s rejected (mostly %s)", count(r.Rejected), top)
	} else {
		s += "; none rejected"
	}
	if r.AfterAsOf > 0 {
		s += fmt.Sprintf("; %s fall after the as-of date", count(r.AfterAsOf))
	}
	if r.BeforeWindow > 0 {
		s += fmt.Sprintf("; %s before the window", count(r.BeforeWindow))
	}
	return s + "."
}
