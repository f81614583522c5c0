package rfm_test

import (
	"fmt"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/analytics/rfm"
)

// Five customers as of day 20000 (2024-10-04); "eve" never bought.
func ExampleScore() {
	t := &feature.Table{MoneyScale: 2}
	t.Grow(5)
	copy(t.CustomerID, []string{"ann", "bob", "cid", "dan", "eve"})
	copy(t.LastPurchase, []int32{19990, 19700, 19999, 19500, feature.NoDate})
	copy(t.FirstPurchase, t.LastPurchase)
	copy(t.Frequency, []int64{4, 1, 9, 2, 0})
	copy(t.Orders, t.Frequency)
	copy(t.Monetary, []int64{25000, 1999, 90050, 4000, 0})

	s, err := rfm.Score(t, 20000, rfm.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, id := range t.CustomerID {
		fmt.Printf("%s recency %3d  R%d F%d M%d  %3d  %s\n", id, s.RecencyDays[i], s.R[i], s.F[i], s.M[i], s.RFM[i], s.Segment[i])
	}
	fmt.Printf("monetary breaks: %.3f\n", s.Breaks.Monetary)
	// Output:
	// ann recency  10  R4 F4 M4  444  Potential Loyalist
	// bob recency 300  R2 F1 M1  211  About To Sleep
	// cid recency   1  R5 F5 M5  555  Champions
	// dan recency 500  R1 F2 M2  122  Lost
	// eve recency  -1  R0 F0 M0    0  No purchase
	// monetary breaks: [31.996 82.000 208.000 510.200]
}
