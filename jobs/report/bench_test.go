package report

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"testing"
)

// benchData is an in-memory Data of n customers with every view present, for timing the pure
// rendering without Parquet.
func benchData(n int) *Data {
	rng := rand.New(rand.NewPCG(1, 2))
	r, f, m, rec, freq, pa, clv, profit := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n),
		make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range r {
		r[i], f[i] = float64(1+rng.IntN(5)), float64(1+rng.IntN(5))
		m[i] = math.Exp(rng.NormFloat64() + 5)
		rec[i] = math.Floor(rng.ExpFloat64() * 100)
		freq[i] = float64(1 + rng.IntN(8))
		pa[i] = math.Exp(-rec[i] / 150)
		clv[i] = pa[i] * m[i]
		profit[i] = m[i]*0.3 - 20
	}
	cust := NewFrame(n).SetNumbers("r_score", r).SetNumbers("f_score", f).SetNumbers("monetary", m).
		SetNumbers("recency_days", rec).SetNumbers("frequency", freq).SetNumbers("p_alive", pa).
		SetNumbers("clv", clv).SetNumbers("profit", profit)
	var curve []string
	var x, v []float64
	for j := 0; j <= 100; j++ {
		p := float64(j) / 100
		curve, x, v = append(curve, "lorenz"), append(x, p), append(v, p*p)
		curve, x, v = append(curve, "whale"), append(x, p), append(v, 1.4*p-0.4*p*p)
	}
	pareto := NewFrame(len(curve)).SetStrings("curve", curve).SetStrings("metric", make([]string, len(curve))).
		SetNumbers("customer_share", x).SetNumbers("value", v)
	segs := NewFrame(3).SetStrings("segment", []string{"Champions", "At Risk", "Lost"}).
		SetNumbers("customers", []float64{1, 2, 3}).SetNumbers("revenue", []float64{10, 5, 1})
	tiers := NewFrame(3).SetStrings("tier", []string{"gold", "iron", "lead"}).
		SetNumbers("customers", []float64{1, 5, 4}).SetNumbers("profit", []float64{10, 3, -2})
	man := &Manifest{Customers: int64(n)}
	man.Rows.Read, man.Rows.Used = int64(20*n), int64(20*n)
	return &Data{AsOf: "2024-12-31", Manifest: man, Tables: map[string]*Frame{
		"customers": cust, "pareto": pareto, "segments": segs, "tiers": tiers}}
}

// BenchmarkRender times the pure page rendering (every chart from in-memory columns).
func BenchmarkRender(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000, 1_000_000} {
		d := benchData(n)
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := Render(io.Discard, d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBuild times Build end to end: reading the Parquet outputs back, rendering and the
// atomic write.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		dir := b.TempDir()
		fx := fixture{date: "2024-12-31", customers: n, optional: true}
		fx.write(b, dir)
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Build(dir, fx.date); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
