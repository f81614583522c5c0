package report

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Chart is one figure of the page: an inline SVG with its title and a one-line reading that
// says what the picture shows in words.
type Chart struct {
	ID      string // HTML id, stable: the browser test looks charts up by it
	Title   string
	Reading string
	SVG     string
	Wide    bool // spans the full page width
}

// svg accumulates one SVG element. Coordinates are in the viewBox's units; the element scales to
// its container's width.
type svg struct {
	b    strings.Builder
	w, h float64
}

func newSVG(w, h float64, label string) *svg {
	s := &svg{w: w, h: h}
	fmt.Fprintf(&s.b, `<svg viewBox="0 0 %s %s" role="img" aria-label="%s">`,
		num(w), num(h), esc(label))
	return s
}

func (s *svg) String() string { return s.b.String() + "</svg>" }

// raw appends markup as is.
func (s *svg) raw(format string, args ...any) { fmt.Fprintf(&s.b, format, args...) }

// rect draws a rectangle (a negative width or height extends left or up) with extra attributes
// and, when tip is not empty, a tooltip.
func (s *svg) rect(x, y, w, h float64, fill, attrs, tip string) {
	if w < 0 {
		x, w = x+w, -w
	}
	if h < 0 {
		y, h = y+h, -h
	}
	fmt.Fprintf(&s.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"%s`, num(x), num(y), num(w), num(h), fill, attrs)
	if tip == "" {
		s.b.WriteString("/>")
		return
	}
	fmt.Fprintf(&s.b, `><title>%s</title></rect>`, esc(tip))
}

func (s *svg) line(x1, y1, x2, y2 float64, class string) {
	fmt.Fprintf(&s.b, `<line x1="%s" y1="%s" x2="%s" y2="%s" class="%s"/>`, num(x1), num(y1), num(x2), num(y2), class)
}

// text writes a label; anchor is start, middle or end.
func (s *svg) text(x, y float64, anchor, class, txt string) {
	fmt.Fprintf(&s.b, `<text x="%s" y="%s" text-anchor="%s" class="%s">%s</text>`, num(x), num(y), anchor, class, esc(txt))
}

// vtext writes a label rotated to read bottom to top (a y-axis title).
func (s *svg) vtext(x, y float64, class, txt string) {
	fmt.Fprintf(&s.b, `<text transform="translate(%s %s) rotate(-90)" text-anchor="middle" class="%s">%s</text>`, num(x), num(y), class, esc(txt))
}

// polyline draws the points as one path "M x y L x y …", so its point count is easy to check.
func (s *svg) polyline(xs, ys []float64, class string) {
	var d strings.Builder
	for i := range xs {
		if i == 0 {
			d.WriteString("M")
		} else {
			d.WriteString(" L")
		}
		d.WriteString(num(xs[i]) + " " + num(ys[i]))
	}
	fmt.Fprintf(&s.b, `<path d="%s" class="%s"/>`, d.String(), class)
}

// scale maps a data interval linearly onto a pixel interval.
type scale struct{ d0, d1, r0, r1 float64 }

func (c scale) at(v float64) float64 {
	if c.d1 == c.d0 {
		return (c.r0 + c.r1) / 2
	}
	return c.r0 + (v-c.d0)/(c.d1-c.d0)*(c.r1-c.r0)
}

// plot is a rectangular plotting area inside an SVG with its two scales.
type plot struct {
	left, top, width, height float64
	x, y                     scale
}

// newPlot places a plotting area with the given margins; y grows upwards.
func newPlot(w, h, left, right, top, bottom, x0, x1, y0, y1 float64) plot {
	p := plot{left: left, top: top, width: w - left - right, height: h - top - bottom}
	p.x = scale{x0, x1, left, left + p.width}
	p.y = scale{y0, y1, top + p.height, top}
	return p
}

func (p plot) bottom() float64 { return p.top + p.height }
func (p plot) right() float64  { return p.left + p.width }

// tick is one labelled position on an axis.
type tick struct {
	v     float64
	label string
}

func ticksOf(vs []float64, format func(float64) string) []tick {
	t := make([]tick, len(vs))
	for i, v := range vs {
		t[i] = tick{v, format(v)}
	}
	return t
}

// grid draws light horizontal lines at the y ticks; call it before the data so that the data
// lies on top.
func (s *svg) grid(p plot, yt []tick) {
	for _, t := range yt {
		y := p.y.at(t.v)
		s.line(p.left, y, p.right(), y, "grid")
	}
}

// vgrid draws light vertical lines at the x ticks (for horizontal bars), before the data.
func (s *svg) vgrid(p plot, xt []tick) {
	for _, t := range xt {
		x := p.x.at(t.v)
		s.line(x, p.top, x, p.bottom(), "grid")
	}
}

// axes draws both axis lines, tick labels and axis titles (which carry the units).
func (s *svg) axes(p plot, xt, yt []tick, xlabel, ylabel string) {
	for _, t := range yt {
		s.text(p.left-6, p.y.at(t.v)+4, "end", "tick", t.label)
	}
	for _, t := range xt {
		x := p.x.at(t.v)
		s.line(x, p.bottom(), x, p.bottom()+4, "axis")
		s.text(x, p.bottom()+17, "middle", "tick", t.label)
	}
	s.line(p.left, p.bottom(), p.right(), p.bottom(), "axis")
	s.line(p.left, p.top, p.left, p.bottom(), "axis")
	if xlabel != "" {
		s.text(p.left+p.width/2, p.bottom()+36, "middle", "axis-title", xlabel)
	}
	if ylabel != "" {
		s.vtext(14, p.top+p.height/2, "axis-title", ylabel)
	}
}

// niceTicks returns about n round values (1, 2 or 5 × 10^k apart) covering [lo, hi].
func niceTicks(lo, hi float64, n int) []float64 {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return []float64{lo}
	}
	step := niceStep((hi - lo) / float64(max(n, 1)))
	var out []float64
	for v := math.Ceil(lo/step-1e-9) * step; v <= hi+step*1e-9; v += step {
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		out = append(out, v)
	}
	return out
}

func niceStep(raw float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / p; {
	case f <= 1:
		return p
	case f <= 2:
		return 2 * p
	case f <= 5:
		return 5 * p
	default:
		return 10 * p
	}
}

// niceMax rounds a positive maximum up to the next tick, so bars never touch the frame.
func niceMax(hi float64, n int) float64 {
	if !(hi > 0) {
		return 1
	}
	step := niceStep(hi / float64(n))
	return math.Ceil(hi/step-1e-9) * step
}

// num formats a coordinate with at most two decimals.
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "0"
	}
	return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
}

func esc(s string) string { return html.EscapeString(s) }

// ramp returns a colour from light (t = 0) to dark blue (t = 1).
func ramp(t float64) string {
	t = math.Max(0, math.Min(1, t))
	lo := [3]float64{239, 243, 255}
	hi := [3]float64{30, 64, 175}
	var c [3]int
	for i := range c {
		c[i] = int(math.Round(lo[i] + t*(hi[i]-lo[i])))
	}
	return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2])
}

// palette is a categorical palette readable in print and by most colour-blind readers
// (Okabe & Ito 2008), blue first.
var palette = []string{"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"}

func colour(i int) string { return palette[i%len(palette)] }
