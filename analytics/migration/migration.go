package migration

import (
	"fmt"
	"slices"
)

// Outside is the pseudo-state of customers not in a period's base: the row of new and returned
// customers and the column of lapsed ones in a Matrix.
const Outside = "(outside)"

// Change is how a customer's tier moved from the previous period to the current one.
type Change string

// Tier changes; see the package documentation for their definitions.
const (
	Up       Change = "up"
	Same     Change = "same"
	Down     Change = "down"
	New      Change = "new"
	Returned Change = "returned"
	Lapsed   Change = "lapsed"
)

// Changes lists every Change in the order Flows reports them.
var Changes = []Change{Up, Same, Down, New, Returned, Lapsed}

// Period is one as-of date's customers. Rows are sorted by CustomerID, strictly ascending;
// every slice has one entry per row, except Profit, which is nil when profit is unknown.
type Period struct {
	CustomerID []string
	Tier       []string
	Segment    []string
	Revenue    []int64 // minor units
	Profit     []int64 // minor units; nil: unknown (counted as 0)
}

// Len is the number of customers.
func (p *Period) Len() int { return len(p.CustomerID) }

func (p *Period) check(name string) {
	n := len(p.CustomerID)
	if len(p.Tier) != n || len(p.Segment) != n || len(p.Revenue) != n || (p.Profit != nil && len(p.Profit) != n) {
		panic("migration: " + name + " period columns differ in length")
	}
}

func (p *Period) profit(i int) int64 {
	if p.Profit == nil {
		return 0
	}
	return p.Profit[i]
}

// Cell sums the customers moving from one state to another and what they brought in each period.
type Cell struct {
	Customers   int64
	RevenuePrev int64
	Revenue     int64
	ProfitPrev  int64
	Profit      int64
}

func (c *Cell) add(prev *Period, i int, cur *Period, j int) {
	c.Customers++
	if i >= 0 {
		c.RevenuePrev += prev.Revenue[i]
		c.ProfitPrev += prev.profit(i)
	}
	if j >= 0 {
		c.Revenue += cur.Revenue[j]
		c.Profit += cur.profit(j)
	}
}

// Matrix is a from × to transition table. States lists the row and column labels (the same
// for both), Outside last; Cells[from][to].
type Matrix struct {
	States []string
	Cells  [][]Cell
}

func newMatrix(states []string) Matrix {
	states = append(slices.Clip(states), Outside)
	cells := make([][]Cell, len(states))
	for i := range cells {
		cells[i] = make([]Cell, len(states))
	}
	return Matrix{States: states, Cells: cells}
}

// Flow sums the customers of one kind of change.
type Flow struct {
	Change Change
	Cell
}

// Result is the migration from a previous period to the current one.
type Result struct {
	// Per current customer, aligned with the current period's rows: the previous tier and
	// segment ("" when the customer was not in the previous period) and the tier change.
	TierPrev    []string
	SegmentPrev []string
	TierChange  []Change
	// Lapsed lists the previous period's rows absent now, ascending.
	Lapsed []int
	// Tiers is the tier × tier matrix (ladder order), Segments the segment × segment one.
	Tiers    Matrix
	Segments Matrix
	// Flows has one entry per Change, in the order of Changes.
	Flows []Flow
}

// Options are Compare's optional inputs; the zero value is usable.
type Options struct {
	// Segments orders the segment matrix; segments not listed follow in byte order. Nil: all
	// segments in byte order.
	Segments []string
	// SeenBefore reports whether a customer appeared in an output before the previous period,
	// telling returned customers from new ones. Nil: nobody did (every entrant is new).
	SeenBefore func(customerID string) bool
}

// Compare computes per-customer tier changes, the tier and segment matrices and the flows from
// prev to cur. It returns ErrUnsorted or ErrUnknownTier (wrapped, naming the customer) for bad
// data and ErrLadder for a bad ladder. It panics if a period's columns differ in length.
func Compare(prev, cur *Period, ladder Ladder, opt Options) (*Result, error) {
	prev.check("previous")
	cur.check("current")
	if err := ladder.Validate(); err != nil {
		return nil, err
	}
	for _, p := range []struct {
		name string
		p    *Period
	}{{"previous", prev}, {"current", cur}} {
		if err := CheckSorted(p.p.CustomerID); err != nil {
			return nil, fmt.Errorf("%s period: %w", p.name, err)
		}
	}
	rank := ladder.ranks()
	tierRank := func(name string, p *Period, i int) (int, error) {
		r, ok := rank[p.Tier[i]]
		if !ok {
			return 0, fmt.Errorf("%w: %s period, customer %q has tier %q, want one of %v", ErrUnknownTier, name, p.CustomerID[i], p.Tier[i], []string(ladder))
		}
		return r, nil
	}
	outside := len(ladder)
	segIndex, segStates := segmentStates(prev, cur, opt.Segments)
	segOutside := len(segStates)

	n := cur.Len()
	res := &Result{
		TierPrev:    make([]string, n),
		SegmentPrev: make([]string, n),
		TierChange:  make([]Change, n),
		Tiers:       newMatrix(ladder),
		Segments:    newMatrix(segStates),
		Flows:       make([]Flow, len(Changes)),
	}
	flow := make(map[Change]*Cell, len(Changes))
	for k, c := range Changes {
		res.Flows[k].Change = c
		flow[c] = &res.Flows[k].Cell
	}
	prevRow := Align(prev.CustomerID, cur.CustomerID)
	inCur := make([]bool, prev.Len())
	for j := 0; j < n; j++ {
		to, err := tierRank("current", cur, j)
		if err != nil {
			return nil, err
		}
		i := prevRow[j]
		from, segFrom := outside, segOutside
		var change Change
		if i >= 0 {
			inCur[i] = true
			if from, err = tierRank("previous", prev, i); err != nil {
				return nil, err
			}
			segFrom = segIndex[prev.Segment[i]]
			res.TierPrev[j], res.SegmentPrev[j] = prev.Tier[i], prev.Segment[i]
			switch {
			case to < from:
				change = Up
			case to > from:
				change = Down
			default:
				change = Same
			}
		} else if opt.SeenBefore != nil && opt.SeenBefore(cur.CustomerID[j]) {
			change = Returned
		} else {
			change = New
		}
		res.TierChange[j] = change
		res.Tiers.Cells[from][to].add(prev, i, cur, j)
		res.Segments.Cells[segFrom][segIndex[cur.Segment[j]]].add(prev, i, cur, j)
		flow[change].add(prev, i, cur, j)
	}
	for i, ok := range inCur {
		if ok {
			continue
		}
		from, err := tierRank("previous", prev, i)
		if err != nil {
			return nil, err
		}
		res.Lapsed = append(res.Lapsed, i)
		res.Tiers.Cells[from][outside].add(prev, i, cur, -1)
		res.Segments.Cells[segIndex[prev.Segment[i]]][segOutside].add(prev, i, cur, -1)
		flow[Lapsed].add(prev, i, cur, -1)
	}
	return res, nil
}

// segmentStates orders the segments of both periods: the caller's order first, then the rest
// in byte order. It returns each segment's index and the ordered list.
func segmentStates(prev, cur *Period, order []string) (map[string]int, []string) {
	index := make(map[string]int)
	var states []string
	for _, s := range order {
		if _, ok := index[s]; !ok {
			index[s] = len(states)
			states = append(states, s)
		}
	}
	var rest []string
	for _, p := range []*Period{prev, cur} {
		for _, s := range p.Segment {
			if _, ok := index[s]; !ok {
				index[s] = -1
				rest = append(rest, s)
			}
		}
	}
	slices.Sort(rest)
	for _, s := range rest {
		index[s] = len(states)
		states = append(states, s)
	}
	return index, states
}
