package report

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// migrationMatrix is the tier × tier matrix: customers moving from each previous state (rows)
// to each current state (columns); states are the ladder's tiers then outside states.
type migrationMatrix struct {
	states []string
	count  [][]float64 // [from][to]
	ladder int         // states[:ladder] are tiers, highest first; the rest are outside states
}

// isOutside reports the pseudo-state of customers not in a period's base ("(outside)").
func isOutside(s string) bool {
	return strings.HasPrefix(s, "(") || strings.EqualFold(s, "outside")
}

// readMigration builds the tier matrix from the job's migration table: the rows with kind =
// 'tier' (all rows when there is no kind column), from → to with their customers. ladder
// orders the tiers (the tiers table), others follow first appearance.
func readMigration(t *Frame, ladder []string) (migrationMatrix, bool) {
	from, ok1 := t.Strings("from")
	to, ok2 := t.Strings("to")
	n, ok3 := t.Numbers("customers")
	if !ok1 || !ok2 || !ok3 {
		return migrationMatrix{}, false
	}
	use := func(int) bool { return true }
	if kind, ok := t.Strings("kind"); ok {
		use = func(i int) bool { return kind[i] == "tier" }
	}
	var tiers, outside []string
	add := func(s string) {
		switch {
		case isOutside(s):
			if !slices.Contains(outside, s) {
				outside = append(outside, s)
			}
		case !slices.Contains(tiers, s):
			tiers = append(tiers, s)
		}
	}
	for _, s := range ladder {
		if !isOutside(s) {
			add(s)
		}
	}
	rows := 0
	for i := range from {
		if use(i) && from[i] != "" && to[i] != "" {
			add(from[i])
			add(to[i])
			rows++
		}
	}
	if rows == 0 {
		return migrationMatrix{}, false
	}
	m := migrationMatrix{states: append(tiers, outside...), ladder: len(tiers)}
	m.count = make([][]float64, len(m.states))
	for i := range m.count {
		m.count[i] = make([]float64, len(m.states))
	}
	index := func(s string) int {
		for i, x := range m.states {
			if x == s {
				return i
			}
		}
		return -1
	}
	for i := range from {
		if use(i) && from[i] != "" && to[i] != "" && !isNull(n[i]) {
			m.count[index(from[i])][index(to[i])] += n[i]
		}
	}
	return m, true
}

// migrationChart draws the matrix, each cell shaded by its share of its row (where the previous
// tier's customers went). Cells are rects of class "cell" with data-from, data-to, data-count.
func migrationChart(m migrationMatrix, previous string) Chart {
	k := float64(len(m.states))
	cell := math.Min(80, 360/k)
	w, h := 120+cell*k+20, 20+cell*k+60
	p := newPlot(w, h, 120, 20, 20, 60, 0, k, 0, k)
	title := "Tier migration since the previous date"
	if previous != "" {
		title = "Tier migration since " + previous
	}
	s := newSVG(w, h, title)
	var stay, up, down, both, in, out float64
	for i := range m.states {
		rowTotal := 0.0
		for j := range m.states {
			rowTotal += m.count[i][j]
		}
		for j := range m.states {
			v := m.count[i][j]
			share := 0.0
			if rowTotal > 0 {
				share = v / rowTotal
			}
			x, y := p.x.at(float64(j)), p.y.at(k-float64(i))
			s.rect(x+1, y+1, cell-2, cell-2, ramp(share),
				fmt.Sprintf(` class="cell" data-from="%s" data-to="%s" data-count="%s"`, esc(m.states[i]), esc(m.states[j]), num(v)),
				fmt.Sprintf("%s → %s: %s customers (%s of %s)", m.states[i], m.states[j], count(int64(v)), pct(share), m.states[i]))
			class := "cell-label"
			if share > 0.55 {
				class += " on-dark"
			}
			if cell >= 34 {
				s.text(x+cell/2, y+cell/2+4, "middle", class, money(v))
			}
			switch {
			case i >= m.ladder && j >= m.ladder:
			case i >= m.ladder:
				in += v
			case j >= m.ladder:
				out += v
			default:
				both += v
				switch {
				case i == j:
					stay += v
				case j < i:
					up += v
				default:
					down += v
				}
			}
		}
		s.text(p.left-8, p.y.at(k-float64(i)-0.5)+4, "end", "label", m.states[i])
	}
	for j, st := range m.states {
		s.text(p.x.at(float64(j)+0.5), p.bottom()+17, "middle", "tick", st)
	}
	s.line(p.left, p.bottom(), p.right(), p.bottom(), "axis")
	s.line(p.left, p.top, p.left, p.bottom(), "axis")
	s.text(p.left+p.width/2, p.bottom()+38, "middle", "axis-title", "tier now (customers; shade = share of the row)")
	s.vtext(14, p.top+p.height/2, "axis-title", "tier at the previous date")
	reading := "No customer was in a tier on both dates."
	if both > 0 {
		reading = fmt.Sprintf("Of customers tiered on both dates, %s kept their tier, %s moved up and %s moved down",
			pct(stay/both), pct(up/both), pct(down/both))
		if in > 0 || out > 0 {
			reading += fmt.Sprintf("; %s joined and %s lapsed", count(int64(in)), count(int64(out)))
		}
		reading += "."
	}
	return Chart{ID: "migration", Title: title, Reading: reading, SVG: s.String()}
}
