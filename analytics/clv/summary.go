package clv

import (
	"fmt"
	"math"

	"github.com/rfmjob/rfm/analytics/feature"
)

// Unit is the time unit of the model's clock: t_x, T, horizons and the rate parameters α and β
// are all read in it.
type Unit string

// The supported units.
const (
	// Weeks measures time in weeks of 7 days (T = days/7), the unit of the BG/NBD literature
	// and of its published CDNOW parameters. The default.
	Weeks Unit = "weeks"
	// Days measures time in days.
	Days Unit = "days"
)

// Year and month lengths in days, used for default horizons and for discounting.
const (
	daysPerYear  = 365.25
	daysPerMonth = daysPerYear / 12
)

// days returns the length of one unit in days; "" means Weeks.
// Days is the unit's length in days (7 for weeks, 1 for days).
func (u Unit) Days() float64 { return u.days() }

func (u Unit) days() float64 {
	switch u {
	case Weeks, "":
		return 7
	case Days:
		return 1
	}
	return 0
}

func (u Unit) validate() error {
	if u.days() == 0 {
		return fmt.Errorf("%w: unit %q, want %q or %q", ErrConfig, u, Weeks, Days)
	}
	return nil
}

// History is one customer's calibration summary, in the model's unit: X repeat purchases
// (purchase days after the first), the last of them at TX after the first purchase, observed
// for T after the first purchase. 0 ≤ TX ≤ T, and TX = 0 when X = 0.
type History struct {
	X, TX, T float64
}

// Summary holds the calibration summaries of the customers of a feature table, one row per
// table row in the table's order.
type Summary struct {
	// Unit is the time unit of TX and T.
	Unit Unit
	// CustomerID shares the feature table's slice; do not modify it.
	CustomerID []string
	// Fitted is false for a customer without purchases (Frequency == 0): such a customer takes
	// no part in fitting and gets no prediction; their other columns are 0.
	Fitted []bool
	// X is the number of repeat purchase days, PurchaseDays − 1.
	X []float64
	// TX is LastPurchase − FirstPurchase, in Unit.
	TX []float64
	// T is asOfDay − FirstPurchase, in Unit.
	T []float64
	// MeanRepeatSpend is (PurchaseValue − FirstDayValue) / X in major currency units, 0 when
	// X == 0.
	MeanRepeatSpend []float64
}

// Len returns the number of customers.
func (s *Summary) Len() int { return len(s.CustomerID) }

// History returns customer i's (x, t_x, T).
func (s *Summary) History(i int) History { return History{X: s.X[i], TX: s.TX[i], T: s.T[i]} }

// Summarize computes the calibration summary of every customer of t as of the end of day
// asOfDay (days since 1970-01-01), in unit ("" means Weeks). Same-day purchases are merged:
// x counts purchase days, not orders.
//
// A row whose purchase columns contradict each other is an ErrInconsistentRow; a last purchase
// after asOfDay is an ErrPurchaseAfterAsOf. Columns of unequal length panic (see
// feature.Table.Check).
func Summarize(t *feature.Table, asOfDay int32, unit Unit) (*Summary, error) {
	if err := unit.validate(); err != nil {
		return nil, err
	}
	if unit == "" {
		unit = Weeks
	}
	n := t.Len()
	if len(t.FirstPurchase) != n || len(t.LastPurchase) != n || len(t.Frequency) != n ||
		len(t.PurchaseDays) != n || len(t.PurchaseValue) != n || len(t.FirstDayValue) != n {
		panic("clv: feature table columns of unequal length")
	}
	s := &Summary{
		Unit:            unit,
		CustomerID:      t.CustomerID,
		Fitted:          make([]bool, n),
		X:               make([]float64, n),
		TX:              make([]float64, n),
		T:               make([]float64, n),
		MeanRepeatSpend: make([]float64, n),
	}
	perUnit := unit.days()
	money := math.Pow10(t.MoneyScale)
	for i := 0; i < n; i++ {
		if t.Frequency[i] == 0 {
			continue
		}
		first, last, days := t.FirstPurchase[i], t.LastPurchase[i], t.PurchaseDays[i]
		id := t.CustomerID[i]
		switch {
		case t.Frequency[i] < 0 || first == feature.NoDate || last == feature.NoDate || last < first:
			return nil, fmt.Errorf("%w: customer %q has frequency %d and purchase days %d..%d",
				ErrInconsistentRow, id, t.Frequency[i], first, last)
		case days < 1 || days > t.Frequency[i] || (days == 1) != (first == last):
			return nil, fmt.Errorf("%w: customer %q has %d purchase days for %d purchases on days %d..%d",
				ErrInconsistentRow, id, days, t.Frequency[i], first, last)
		case t.FirstDayValue[i] > t.PurchaseValue[i]:
			return nil, fmt.Errorf("%w: customer %q has first-day value %d above purchase value %d",
				ErrInconsistentRow, id, t.FirstDayValue[i], t.PurchaseValue[i])
		case last > asOfDay:
			return nil, fmt.Errorf("%w: customer %q last bought on day %d, as-of day is %d",
				ErrPurchaseAfterAsOf, id, last, asOfDay)
		}
		x := days - 1
		s.Fitted[i] = true
		s.X[i] = float64(x)
		s.TX[i] = float64(last-first) / perUnit
		s.T[i] = float64(asOfDay-first) / perUnit
		if x > 0 {
			s.MeanRepeatSpend[i] = float64(t.PurchaseValue[i]-t.FirstDayValue[i]) / money / float64(x)
		}
	}
	return s, nil
}

// cohort is a group of fitted customers sharing one History, weighted by their count.
type cohort struct {
	History
	n float64
}

// cohorts groups the fitted customers of s by History, in first-seen order, and returns the
// groups and, for each customer, the index of their group (−1 when not fitted).
func cohorts(s *Summary) (groups []cohort, index []int32) {
	seen := newKeyIndex(s.Len())
	index = make([]int32, s.Len())
	for i := range index {
		if !s.Fitted[i] {
			index[i] = -1
			continue
		}
		h := s.History(i)
		g, added := seen.id(h.X, h.TX, h.T)
		if added {
			groups = append(groups, cohort{History: h})
		}
		groups[g].n++
		index[i] = g
	}
	return groups, index
}
