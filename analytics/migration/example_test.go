package migration_test

import (
	"fmt"

	"github.com/rfmjob/rfm/analytics/migration"
)

func ExampleCompare() {
	ladder := migration.Ladder{"gold", "silver", "bronze"}
	prev := &migration.Period{
		CustomerID: []string{"ann", "bob", "cid"},
		Tier:       []string{"silver", "gold", "bronze"},
		Segment:    []string{"loyal", "champions", "at_risk"},
		Revenue:    []int64{30000, 90000, 2000},
	}
	cur := &migration.Period{
		CustomerID: []string{"ann", "bob", "dee"},
		Tier:       []string{"gold", "silver", "bronze"},
		Segment:    []string{"champions", "loyal", "new_customers"},
		Revenue:    []int64{70000, 40000, 1500},
	}
	res, err := migration.Compare(prev, cur, ladder, migration.Options{})
	if err != nil {
		panic(err)
	}
	for i, id := range cur.CustomerID {
		fmt.Printf("%s: %q → %s (%s)\n", id, res.TierPrev[i], cur.Tier[i], res.TierChange[i])
	}
	for _, f := range res.Flows {
		fmt.Printf("%-8s %d customers, revenue %d → %d\n", f.Change, f.Customers, f.RevenuePrev, f.Revenue)
	}
	// Output:
	// ann: "silver" → gold (up)
	// bob: "gold" → silver (down)
	// dee: "" → bronze (new)
	// up       1 customers, revenue 30000 → 70000
	// same     0 customers, revenue 0 → 0
	// down     1 customers, revenue 90000 → 40000
	// new      1 customers, revenue 0 → 1500
	// returned 0 customers, revenue 0 → 0
	// lapsed   1 customers, revenue 2000 → 0
}

func ExampleProtection_Decide() {
	rules := migration.Protection{PeriodsBelow: 2, MaxDrop: 1}
	ladder := migration.Ladder{"platinum", "gold", "iron", "lead"}
	held, below := "platinum", 0
	for _, earned := range []string{"lead", "lead", "lead"} {
		d, _ := rules.Decide(ladder, held, below, earned)
		held, below = d.Tier, d.PeriodsBelow
		fmt.Println(d.Reason)
	}
	// Output:
	// kept platinum: earned lead, period 1 of 2 below
	// dropped from platinum to gold: at most 1 tier per period, earned lead
	// kept gold: earned lead, period 1 of 2 below
}
