package profit_test

import (
	"fmt"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/analytics/profit"
)

func ExampleCompute() {
	t := &feature.Table{MoneyScale: 2, HasCost: true}
	t.Grow(3)
	copy(t.CustomerID, []string{"ann", "bob", "cid"})
	copy(t.Monetary, []int64{90000, 40000, 15000}) // cents
	copy(t.Cost, []int64{50000, 25000, 9000})
	copy(t.Orders, []int64{6, 2, 30})
	in := profit.Input{Table: t, Activities: []profit.Activity{
		{Name: "picking", Count: t.Orders},
		{Name: "support_minutes", Quantity: []float64{10, 0, 240}},
	}}
	cfg := profit.Config{Rates: map[string]float64{"picking": 150, "support_minutes": 35}}
	r, err := profit.Compute(in, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, id := range t.CustomerID {
		fmt.Printf("%s revenue %6d  profit %6d  rank %d\n", id, r.Revenue[i], r.Profit[i], r.ProfitRank[i])
	}
	w := r.Whale
	fmt.Printf("top %.0f%% make %.0f%% of profit; the rest destroy %d\n", 100*w.PeakCustomerShare, 100*w.PeakProfitShare, w.Destroyed)
	// Output:
	// ann revenue  90000  profit  38750  rank 1
	// bob revenue  40000  profit  14700  rank 2
	// cid revenue  15000  profit  -6900  rank 3
	// top 67% make 115% of profit; the rest destroy 6900
}
