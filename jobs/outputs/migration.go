package outputs

import (
	"github.com/rfmjob/rfm/analytics/migration"
	pq "github.com/rfmjob/rfm/jobs/parquetio"
)

func (v *Migration) columns() []pq.Column {
	if v.Result == nil {
		return nil
	}
	change := make([]string, len(v.Result.TierChange))
	for i, c := range v.Result.TierChange {
		change[i] = string(c)
	}
	cols := []pq.Column{pq.OptionalString("segment_prev", v.Result.SegmentPrev)}
	if v.HasTiers {
		cols = append(cols, pq.OptionalString("tier_prev", v.Result.TierPrev), pq.String("tier_change", change))
	} else {
		// Without tiers, the change is still whether the customer is new, returned or stayed.
		cols = append(cols, pq.String("base_change", change))
	}
	if v.Held != nil {
		cols = append(cols, pq.String("tier_earned", v.Held.Earned), pq.Int32("tier_periods_below", v.Held.PeriodsBelow))
	}
	return cols
}

// tables writes one long table: kind "tier" and "segment" rows are matrix cells (from → to,
// "(outside)" for customers not in a period's base), kind "flow" rows sum each change (up,
// same, down, new, returned, lapsed) with the change in from.
func (v *Migration) tables(asOfDay int32, scale int) []Table {
	if v.Result == nil {
		return nil
	}
	var kind, from, to []string
	var customers, revPrev, rev, profPrev, prof []int64
	add := func(k, f, t string, c migration.Cell) {
		kind, from, to = append(kind, k), append(from, f), append(to, t)
		customers, revPrev, rev = append(customers, c.Customers), append(revPrev, c.RevenuePrev), append(rev, c.Revenue)
		profPrev, prof = append(profPrev, c.ProfitPrev), append(prof, c.Profit)
	}
	addMatrix := func(k string, m migration.Matrix) {
		for i, f := range m.States {
			for j, t := range m.States {
				if c := m.Cells[i][j]; c.Customers > 0 {
					add(k, f, t, c)
				}
			}
		}
	}
	if v.HasTiers {
		addMatrix("tier", v.Result.Tiers)
	}
	addMatrix("segment", v.Result.Segments)
	for _, fl := range v.Result.Flows {
		add("flow", string(fl.Change), "", fl.Cell)
	}
	n := len(kind)
	return []Table{{TableMigration, n, []pq.Column{
		pq.ConstDate("as_of", asOfDay),
		pq.ConstDate("previous_as_of", v.PrevDay),
		pq.String("kind", kind),
		pq.String("from", from),
		pq.OptionalString("to", to),
		pq.Int64("customers", customers),
		pq.Money("revenue_prev", revPrev, scale),
		pq.Money("revenue", rev, scale),
		pq.Money("profit_prev", profPrev, scale),
		pq.Money("profit", prof, scale),
	}}}
}
