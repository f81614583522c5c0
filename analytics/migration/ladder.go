package migration

import "fmt"

// Ladder names the tiers from the highest to the lowest, e.g. platinum, gold, iron, lead.
type Ladder []string

// Validate reports an empty ladder, an empty tier name or a tier named twice.
func (l Ladder) Validate() error {
	if len(l) == 0 {
		return fmt.Errorf("%w: no tiers", ErrLadder)
	}
	seen := make(map[string]bool, len(l))
	for _, t := range l {
		if t == "" {
			return fmt.Errorf("%w: empty tier name", ErrLadder)
		}
		if seen[t] {
			return fmt.Errorf("%w: tier %q named twice", ErrLadder, t)
		}
		seen[t] = true
	}
	return nil
}

// Rank returns the position of tier on the ladder, 0 for the highest, and whether it is on it.
func (l Ladder) Rank(tier string) (int, bool) {
	for i, t := range l {
		if t == tier {
			return i, true
		}
	}
	return -1, false
}

// ranks maps each tier to its rank, for the many lookups of a whole period.
func (l Ladder) ranks() map[string]int {
	m := make(map[string]int, len(l))
	for i, t := range l {
		m[t] = i
	}
	return m
}

// Align matches two sorted id lists by a merge join: prevRow[i] is the row of cur[i] in prev, or
// −1 when cur[i] is not in prev. Both lists must be strictly ascending (see CheckSorted).
func Align(prev, cur []string) (prevRow []int) {
	prevRow = make([]int, len(cur))
	j := 0
	for i, id := range cur {
		for j < len(prev) && prev[j] < id {
			j++
		}
		if j < len(prev) && prev[j] == id {
			prevRow[i] = j
		} else {
			prevRow[i] = -1
		}
	}
	return prevRow
}

// CheckSorted reports the first place where ids are not strictly ascending.
func CheckSorted(ids []string) error {
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			return fmt.Errorf("%w: row %d id %q after %q", ErrUnsorted, i, ids[i], ids[i-1])
		}
	}
	return nil
}
