package cluster

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// BenchmarkCluster is the production shape: three customer features, k = 8, 3 restarts,
// at most 100 Lloyd iterations, standardization and profiles included.
func BenchmarkCluster(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000, 1_000_000} {
		features := customers(n, 1)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Cluster(features, FeatureMonetary, Options{K: 8, Restarts: 3, MaxIter: 100, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAssignLayout measures the choice of plain row-major []float64 over gonum/mat for
// the assignment step (100,000 points, 3 columns, k = 8): the same loop reading points through
// mat.Dense.At versus slicing the raw data.
func BenchmarkAssignLayout(b *testing.B) {
	const n, d, k = 100_000, 3, 8
	x, _ := blobs(n, d, k, 1, 1, 1)
	dense := mat.NewDense(n, d, x)
	cent := append([]float64(nil), x[:k*d]...)
	labels := make([]int32, n)
	b.Run("mat.Dense.At", func(b *testing.B) {
		b.ReportAllocs()
		row := make([]float64, d)
		for b.Loop() {
			for i := range n {
				for j := range d {
					row[j] = dense.At(i, j)
				}
				labels[i], _, _ = nearest2(row, cent, k)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i := range n {
				labels[i], _, _ = nearest2(x[i*d:(i+1)*d], cent, k)
			}
		}
	})
}

// BenchmarkFit runs k-means alone (no standardization or profiles) on Gaussian blobs.
func BenchmarkFit(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000, 1_000_000} {
		x, _ := blobs(n, 3, 8, 1, 3, 1)
		dense := mat.NewDense(n, 3, x)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Fit(dense, Options{K: 8, Restarts: 3, MaxIter: 100, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFitSampleAgreement times the default sampled fit on 1M customers and reports how
// far it lands from the fit on every row: the worst centroid distance (standard deviations),
// the adjusted Rand index of the labels and the inertia excess (%).
func BenchmarkFitSampleAgreement(b *testing.B) {
	f := customers(1_000_000, 9)
	full, err := Cluster(f, FeatureMonetary, Options{K: 6, Seed: 1, FitSample: -1})
	if err != nil {
		b.Fatal(err)
	}
	var smp *Result
	for b.Loop() {
		if smp, err = Cluster(f, FeatureMonetary, Options{K: 6, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	worst := 0.0
	for j := range smp.Model.K {
		d := math.Inf(1)
		for l := range full.Model.K {
			d = min(d, math.Sqrt(sqDist(smp.Model.Centroid(j), full.Model.Centroid(l))))
		}
		worst = max(worst, d)
	}
	b.ReportMetric(worst, "sd-apart")
	b.ReportMetric(AdjustedRandIndex(toInts(smp.Model.Labels), toInts(full.Model.Labels)), "ARI")
	b.ReportMetric(100*(smp.Model.Inertia/full.Model.Inertia-1), "%inertia")
}
