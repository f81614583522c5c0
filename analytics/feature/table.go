package feature

import (
	"fmt"
	"math"
)

// NoDate marks a missing day in FirstPurchase and LastPurchase.
const NoDate int32 = math.MinInt32

// Table is the per-customer feature table, one row per customer, column-oriented: every slice has
// Len() elements and index i of each describes the same customer.
type Table struct {
	// MoneyScale is the number of decimal digits in the money columns' minor units (2: cents).
	MoneyScale int
	// HasCost reports whether the input carried a cost-of-goods column.
	HasCost bool

	CustomerID    []string
	FirstPurchase []int32 // days since 1970-01-01 of the first purchase, or NoDate
	LastPurchase  []int32 // days since 1970-01-01 of the last purchase, or NoDate
	Frequency     []int64 // orders with net > 0
	Orders        []int64 // all orders, returns included
	Rows          []int64 // input rows used
	PurchaseDays  []int64 // distinct days with a purchase
	Monetary      []int64 // sum of all amounts, minor units
	PurchaseValue []int64 // sum of the nets of purchases, minor units
	FirstDayValue []int64 // net of purchases on FirstPurchase, minor units
	Cost          []int64 // sum of cost of goods, minor units
}

// Len returns the number of customers.
func (t *Table) Len() int { return len(t.CustomerID) }

// Grow appends n zeroed rows and returns the index of the first.
func (t *Table) Grow(n int) int {
	i := len(t.CustomerID)
	t.CustomerID = append(t.CustomerID, make([]string, n)...)
	t.FirstPurchase = append(t.FirstPurchase, make([]int32, n)...)
	t.LastPurchase = append(t.LastPurchase, make([]int32, n)...)
	for j := i; j < i+n; j++ {
		t.FirstPurchase[j], t.LastPurchase[j] = NoDate, NoDate
	}
	for _, c := range t.int64Columns() {
		*c = append(*c, make([]int64, n)...)
	}
	return i
}

func (t *Table) int64Columns() []*[]int64 {
	return []*[]int64{&t.Frequency, &t.Orders, &t.Rows, &t.PurchaseDays, &t.Monetary,
		&t.PurchaseValue, &t.FirstDayValue, &t.Cost}
}

// Check verifies that all columns have the same length and that every row is internally
// consistent; it returns the first violation. Engines call it in tests.
func (t *Table) Check() error {
	n := len(t.CustomerID)
	if len(t.FirstPurchase) != n || len(t.LastPurchase) != n {
		return fmt.Errorf("feature: date columns have %d/%d rows, want %d", len(t.FirstPurchase), len(t.LastPurchase), n)
	}
	for _, c := range t.int64Columns() {
		if len(*c) != n {
			return fmt.Errorf("feature: a column has %d rows, want %d", len(*c), n)
		}
	}
	for i := 0; i < n; i++ {
		if i > 0 && t.CustomerID[i-1] >= t.CustomerID[i] {
			return fmt.Errorf("feature: customers not strictly sorted at row %d (%q, %q)", i, t.CustomerID[i-1], t.CustomerID[i])
		}
		if (t.Frequency[i] == 0) != (t.LastPurchase[i] == NoDate) || (t.Frequency[i] == 0) != (t.FirstPurchase[i] == NoDate) {
			return fmt.Errorf("feature: customer %q has frequency %d but purchase days %d..%d", t.CustomerID[i], t.Frequency[i], t.FirstPurchase[i], t.LastPurchase[i])
		}
		if t.Frequency[i] > t.Orders[i] || t.PurchaseDays[i] > t.Frequency[i] {
			return fmt.Errorf("feature: customer %q has %d purchases, %d orders, %d purchase days", t.CustomerID[i], t.Frequency[i], t.Orders[i], t.PurchaseDays[i])
		}
	}
	return nil
}
