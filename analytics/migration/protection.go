package migration

import (
	"fmt"
	"strconv"
)

// Protection holds the status-protection rules; the zero value protects nothing (every customer
// gets the tier they earned).
type Protection struct {
	// PeriodsBelow is the number of consecutive periods a customer must earn a tier below the
	// one they hold before they drop; 0 and 1 drop at once.
	PeriodsBelow int
	// MaxDrop is the most tiers a customer drops in one period; 0 means no limit.
	MaxDrop int
}

// Decision is the tier a customer holds this period and why.
type Decision struct {
	Tier string
	// PeriodsBelow is the number of consecutive periods, this one included, the customer has
	// earned below the tier they hold; carry it to the next period. 0 after a drop.
	PeriodsBelow int
	Reason       string
}

// Decide applies p to one customer: held is the tier they held last period ("" when they were
// not a customer then), periodsBelow the count carried from last period's Decision, earned the
// tier their figures earn now. It returns ErrUnknownTier for a tier not on the ladder and
// ErrLadder for a bad ladder.
func (p Protection) Decide(ladder Ladder, held string, periodsBelow int, earned string) (Decision, error) {
	if err := ladder.Validate(); err != nil {
		return Decision{}, err
	}
	return p.decide(ladder, ladder.ranks(), held, periodsBelow, earned)
}

func (p Protection) decide(ladder Ladder, rank map[string]int, held string, periodsBelow int, earned string) (Decision, error) {
	e, ok := rank[earned]
	if !ok {
		return Decision{}, fmt.Errorf("%w: earned tier %q", ErrUnknownTier, earned)
	}
	if held == "" {
		return Decision{Tier: earned, Reason: "earned " + earned}, nil
	}
	h, ok := rank[held]
	if !ok {
		return Decision{}, fmt.Errorf("%w: held tier %q", ErrUnknownTier, held)
	}
	switch {
	case e < h:
		return Decision{Tier: earned, Reason: "promoted from " + held + " to " + earned}, nil
	case e == h:
		return Decision{Tier: earned, Reason: "kept " + held + ": earned it"}, nil
	}
	below := max(periodsBelow, 0) + 1
	if p.PeriodsBelow > 1 && below < p.PeriodsBelow {
		return Decision{Tier: held, PeriodsBelow: below, Reason: "kept " + held + ": earned " + earned +
			", period " + strconv.Itoa(below) + " of " + strconv.Itoa(p.PeriodsBelow) + " below"}, nil
	}
	to := e
	if p.MaxDrop > 0 && to-h > p.MaxDrop {
		to = h + p.MaxDrop
		return Decision{Tier: ladder[to], Reason: "dropped from " + held + " to " + ladder[to] +
			": at most " + strconv.Itoa(p.MaxDrop) + " tier" + plural(p.MaxDrop) + " per period, earned " + earned}, nil
	}
	return Decision{Tier: earned, Reason: "dropped from " + held + " to " + earned}, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Protect applies p to every customer of a period: held[i] and periodsBelow[i] are customer i's
// tier and count from last period ("" and 0 for a customer who was not there; periodsBelow nil
// means all 0), earned[i] the tier they earn now. It returns the tiers held now, the counts to
// carry and the reasons, aligned with earned. It panics if the slices differ in length.
func (p Protection) Protect(ladder Ladder, held []string, periodsBelow []int32, earned []string) (tier []string, below []int32, reason []string, err error) {
	if len(held) != len(earned) || (periodsBelow != nil && len(periodsBelow) != len(earned)) {
		panic("migration: Protect slices differ in length")
	}
	if err := ladder.Validate(); err != nil {
		return nil, nil, nil, err
	}
	rank := ladder.ranks()
	n := len(earned)
	tier, below, reason = make([]string, n), make([]int32, n), make([]string, n)
	for i := range earned {
		pb := 0
		if periodsBelow != nil {
			pb = int(periodsBelow[i])
		}
		d, err := p.decide(ladder, rank, held[i], pb, earned[i])
		if err != nil {
			return nil, nil, nil, fmt.Errorf("row %d: %w", i, err)
		}
		tier[i], below[i], reason[i] = d.Tier, int32(d.PeriodsBelow), d.Reason
	}
	return tier, below, reason, nil
}
