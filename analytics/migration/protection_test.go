package migration

import (
	"errors"
	"slices"
	"testing"
)

func TestDecide(t *testing.T) {
	grace := Protection{PeriodsBelow: 2, MaxDrop: 1}
	tests := []struct {
		name   string
		rules  Protection
		held   string
		below  int
		earned string
		want   Decision
	}{
		{"new customer gets what they earn", grace, "", 0, "gold", Decision{"gold", 0, "earned gold"}},
		{"promotion is immediate", grace, "gold", 1, "platinum", Decision{"platinum", 0, "promoted from gold to platinum"}},
		{"earning the held tier resets the count", grace, "gold", 1, "gold", Decision{"gold", 0, "kept gold: earned it"}},
		{"first period below keeps the tier", grace, "gold", 0, "iron", Decision{"gold", 1, "kept gold: earned iron, period 1 of 2 below"}},
		{"second period below drops", grace, "gold", 1, "iron", Decision{"iron", 0, "dropped from gold to iron"}},
		{"drop limited to one tier", grace, "platinum", 1, "lead", Decision{"gold", 0, "dropped from platinum to gold: at most 1 tier per period, earned lead"}},
		{"no rules drop at once and fully", Protection{}, "platinum", 0, "lead", Decision{"lead", 0, "dropped from platinum to lead"}},
		{"PeriodsBelow 1 is immediate", Protection{PeriodsBelow: 1}, "gold", 0, "iron", Decision{"iron", 0, "dropped from gold to iron"}},
		{"max two tiers", Protection{MaxDrop: 2}, "platinum", 0, "lead", Decision{"iron", 0, "dropped from platinum to iron: at most 2 tiers per period, earned lead"}},
		{"three periods needed, second below", Protection{PeriodsBelow: 3}, "gold", 1, "lead", Decision{"gold", 2, "kept gold: earned lead, period 2 of 3 below"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.rules.Decide(ladder, tc.held, tc.below, tc.earned)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestDecideTrajectory follows one customer who falls from platinum to lead at once and stays
// there, under "two periods below, one tier per period": by hand, the held tier goes
// platinum, platinum (1 of 2), gold, gold (1 of 2), iron, iron (1 of 2), lead.
func TestDecideTrajectory(t *testing.T) {
	rules := Protection{PeriodsBelow: 2, MaxDrop: 1}
	earned := []string{"platinum", "lead", "lead", "lead", "lead", "lead", "lead"}
	want := []string{"platinum", "platinum", "gold", "gold", "iron", "iron", "lead"}
	held, below := "", 0
	var got []string
	for _, e := range earned {
		d, err := rules.Decide(ladder, held, below, e)
		if err != nil {
			t.Fatal(err)
		}
		held, below = d.Tier, d.PeriodsBelow
		got = append(got, held)
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestProtect(t *testing.T) {
	rules := Protection{PeriodsBelow: 2, MaxDrop: 1}
	held := []string{"", "gold", "gold", "platinum"}
	below := []int32{0, 0, 1, 1}
	earned := []string{"iron", "iron", "iron", "lead"}
	tier, carry, reason, err := rules.Protect(ladder, held, below, earned)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"iron", "gold", "iron", "gold"}; !slices.Equal(tier, want) {
		t.Errorf("tiers got %v, want %v", tier, want)
	}
	if want := []int32{0, 1, 0, 0}; !slices.Equal(carry, want) {
		t.Errorf("counts got %v, want %v", carry, want)
	}
	if want := "kept gold: earned iron, period 1 of 2 below"; reason[1] != want {
		t.Errorf("reason[1] got %q, want %q", reason[1], want)
	}
	if _, _, _, err := rules.Protect(ladder, []string{"gold"}, nil, []string{"bronze"}); !errors.Is(err, ErrUnknownTier) {
		t.Errorf("unknown earned tier: got %v, want ErrUnknownTier", err)
	}
	if _, err := rules.Decide(ladder, "tin", 0, "gold"); !errors.Is(err, ErrUnknownTier) {
		t.Errorf("unknown held tier: got %v, want ErrUnknownTier", err)
	}
}
