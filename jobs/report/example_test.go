package report_test

import (
	"fmt"

	"github.com/rfmjob/rfm/jobs/report"
)

// Sections shows only the charts the data allows: here the R × F heatmaps from four scored
// customers, and nothing for the missing tables.
func ExampleSections() {
	customers := report.NewFrame(4).
		SetNumbers("r_score", []float64{5, 5, 1, 2}).
		SetNumbers("f_score", []float64{5, 5, 1, 1}).
		SetNumbers("monetary", []float64{900, 700, 100, 60})
	d := &report.Data{AsOf: "2024-12-31", Tables: map[string]*report.Frame{"customers": customers}}
	for _, s := range report.Sections(d) {
		for _, c := range s.Charts {
			fmt.Printf("%s: %s\n", c.ID, c.Reading)
		}
	}
	// Output:
	// rf-customers: The best cell, R 5 × F 5, is also the largest: 50% of scored customers.
	// rf-monetary: Customers in R 5 × F 5 spend 800 on average, 8× those in R 1 × F 1 (100).
}
