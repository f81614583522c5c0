package tier_test

import (
	"fmt"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/analytics/profit"
	"github.com/rfmjob/rfm/analytics/tier"
)

func ExampleAssign() {
	t := &feature.Table{MoneyScale: 2, HasCost: true}
	t.Grow(5)
	copy(t.CustomerID, []string{"ann", "bob", "cid", "dan", "eve"})
	copy(t.Monetary, []int64{250000, 90000, 40000, 30000, 15000}) // cents
	copy(t.Cost, []int64{150000, 60000, 25000, 20000, 9000})
	copy(t.Orders, []int64{12, 6, 4, 5, 30})
	copy(t.Frequency, t.Orders)
	p, err := profit.Compute(profit.Input{Table: t}, profit.Config{OrderCost: 800})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := tier.Assign(t, p, nil, tier.Config{Method: tier.MethodCumulative})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, id := range t.CustomerID {
		fmt.Printf("%s %-8s %s; next %q +%d\n", id, r.Tiers[r.Tier[i]], r.Reason[i], r.NextTier[i], r.NextTierGap[i])
	}
	for _, s := range r.Summary {
		fmt.Printf("%-8s customers %3.0f%%  profit %4.0f%%\n", s.Tier, 100*s.CustomerShare, 100*s.ProfitShare)
	}
	// Output:
	// ann platinum profit 904.00: the customers ranked above make 0.0% of positive profit (platinum < 50%); next "" +0
	// bob gold     profit 252.00: the customers ranked above make 67.8% of positive profit (gold < 80%); next "platinum" +47401
	// cid iron     profit 118.00: the customers ranked above make 86.7% of positive profit (iron ≥ 80%); next "gold" +11101
	// dan iron     profit 60.00: the customers ranked above make 95.5% of positive profit (iron ≥ 80%); next "gold" +11101
	// eve lead     profit -180.00 is below break-even (lead: profit < 0); next "iron" +18000
	// platinum customers  20%  profit   78%
	// gold     customers  20%  profit   22%
	// iron     customers  40%  profit   15%
	// lead     customers  20%  profit  -16%
}
