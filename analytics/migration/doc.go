// Package migration measures how customers move between tiers and segments from one scheduled
// as-of date to the next, and applies status-protection (grace) rules to tier drops.
//
// It is pure: two periods' per-customer assignments in, per-customer changes, matrices and flows
// out. Reading earlier outputs and choosing which date is "previous" is the caller's job (the
// previous date of the schedule or backfill series, never whatever is newest on disk).
//
// # Inputs
//
// A Period holds one as-of date's customers, rows sorted by CustomerID ascending (byte order,
// unique), each with a tier, a segment, revenue and optionally profit in integer minor units.
// A Ladder names the tiers from the highest to the lowest (e.g. platinum, gold, iron, lead);
// every tier of both periods must be on it.
//
// # Tier changes
//
// For each customer of the current period, with rank 0 the highest tier:
//
//	up        present in both, rank(now) < rank(prev)
//	same      present in both, rank(now) = rank(prev)
//	down      present in both, rank(now) > rank(prev)
//	returned  absent from the previous period, but seenBefore(id) is true (the caller knows it
//	          from an earlier output)
//	new       absent from the previous period and not seen before (seenBefore nil: nobody was)
//
// and for each customer of the previous period absent now: lapsed. Customers now =
// up + same + down + new + returned; customers before = up + same + down + lapsed.
//
// # Matrices
//
// The tier × tier matrix has one row per previous state and one column per current state: the
// ladder's tiers in order plus Outside, the pseudo-state of customers not in that period's base
// (row Outside: new and returned customers; column Outside: lapsed ones). The segment × segment
// matrix is the same over segments (in the caller's order, or sorted, then Outside). Each cell
// counts the customers moving from its row to its column and sums their revenue and profit in
// both periods, so "revenue moving from gold to iron" is the cell's RevenuePrev (what those
// customers brought before) and Revenue (what they bring now). A customer outside a period
// contributes 0 for that period.
//
// Flows summarise the same moves by kind (up, same, down, new, returned, lapsed) with the same
// sums: the flows in and out of the customer base are new + returned and lapsed.
//
// # Status protection
//
// Protection keeps a customer's tier for a while after their figures fall below its floor, like
// airline status programmes. Two optional rules, applied to the tier the customer earned this
// period (from the tier thresholds) and the tier they held last period:
//
//   - PeriodsBelow = k ≥ 2: a drop needs k consecutive periods earned below the held tier;
//     before that the held tier is kept. The count is carried per customer from one period to
//     the next (it restarts at 0 after every drop and whenever the customer earns the held tier
//     or better).
//   - MaxDrop = m ≥ 1: a drop goes down at most m tiers per period, however low the earned tier.
//
// Promotions and same-tier results are never delayed. New and returned customers get the tier
// they earned. Every decision carries a reason text ("kept gold: earned iron, period 1 of 2
// below", "dropped from platinum to gold: at most 1 tier per period, earned lead") for the
// tier_reason column. How far a customer is above their tier's floor (downgrade_risk) is the
// tier package's measure, not this one's.
package migration
