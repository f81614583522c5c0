package cluster

import (
	"fmt"
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
