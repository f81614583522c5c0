package profit

import "github.com/rfmjob/rfm/analytics/internal/rank"

// RankOrder returns the row indices of customers ordered by profit descending, ties by
// customer id ascending (byte order): the order of ProfitRank and Result.Order. ids and
// profit are aligned; it panics if their lengths differ or exceed 2^31−1. The sort is
// rank.Descending's (a byte-wise LSD radix sort, then an id sort of out-of-order tied runs).
func RankOrder(ids []string, profit []int64) []int32 {
	order, _ := rank.Descending(ids, profit)
	return order
}
