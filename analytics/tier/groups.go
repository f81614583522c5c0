package tier

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/rfmjob/rfm/analytics/feature"
	"github.com/rfmjob/rfm/analytics/profit"
)

// FromGroups assigns tiers by group rather than by customer: the method "clusters", where the
// groups are behavioural clusters. Groups are ranked by the mean profit of their members
// (ties by group number). With an unprofitable tier (the default), groups whose mean profit is
// negative, and customers in no group (group < 0, e.g. without a purchase) whose own profit is
// negative, get it; the other groups fill the ranked tiers in order, one group per tier, the
// last ranked tier taking every remaining group; customers in no group with profit ≥ 0 get the
// last ranked tier. cfg supplies the tier names and whether there is an unprofitable tier; its
// cuts are not used. A group-based tier has no per-customer gap: NextTier is "" and the gaps
// and downgrade risk are 0; the reason names the group, its rank and its mean profit.
func FromGroups(t *feature.Table, p *profit.Result, recencyDays []int32, group []int32, groupNames []string, cfg Config) (*Result, error) {
	n := t.Len()
	if len(group) != n || len(p.Profit) != n {
		panic(fmt.Sprintf("tier: FromGroups: %d groups and %d profits for %d customers", len(group), len(p.Profit), n))
	}
	cfg.Method = MethodShare // validates names and the unprofitable tier; cuts are unused
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	sum := make([]int64, len(groupNames))
	size := make([]int64, len(groupNames))
	for i, g := range group {
		if g >= int32(len(groupNames)) {
			panic(fmt.Sprintf("tier: FromGroups: group %d of customer %d has no name", g, i))
		}
		if g >= 0 {
			sum[g] += p.Profit[i]
			size[g]++
		}
	}
	mean := func(g int) float64 {
		if size[g] == 0 {
			return 0
		}
		return float64(sum[g]) / float64(size[g])
	}
	order := make([]int, len(groupNames))
	for g := range order {
		order[g] = g
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(mean(b), mean(a)) })
	ranked := cfg.rankedTiers()
	lead := int32(-1)
	if cfg.hasLeadTier() {
		lead = int32(len(cfg.Tiers) - 1)
	}
	tierOf := make([]int32, len(groupNames))
	rankOf := make([]int, len(groupNames))
	next := 0
	for r, g := range order {
		rankOf[g] = r + 1
		if lead >= 0 && mean(g) < 0 {
			tierOf[g] = lead
			continue
		}
		tierOf[g] = int32(min(next, ranked-1))
		next++
	}
	res := &Result{
		Tiers: cfg.Tiers, Tier: make([]int32, n), Reason: make([]string, n), NextTier: make([]string, n),
		NextTierGap: make([]int64, n), NextTierRevenue: make([]int64, n), DowngradeRisk: make([]int64, n),
		Activities: p.Activities,
	}
	reasons := make([]string, len(groupNames))
	for g := range groupNames {
		reasons[g] = "cluster \"" + groupNames[g] + "\" ranks " + strconv.Itoa(rankOf[g]) + " of " +
			strconv.Itoa(len(groupNames)) + " by mean profit " + formatMoney(int64(mean(g)), t.MoneyScale)
	}
	for i, g := range group {
		switch {
		case g >= 0:
			res.Tier[i], res.Reason[i] = tierOf[g], reasons[g]
		case lead >= 0 && p.Profit[i] < 0:
			res.Tier[i], res.Reason[i] = lead, "in no cluster, profit "+formatMoney(p.Profit[i], t.MoneyScale)+" < 0"
		default:
			res.Tier[i], res.Reason[i] = int32(ranked-1), "in no cluster (no purchase)"
		}
	}
	if err := summarize(res, t, p, recencyDays); err != nil {
		return nil, err
	}
	return res, nil
}
