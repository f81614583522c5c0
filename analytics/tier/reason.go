package tier

import "strconv"

// reasonBlock is the size at which the reasons written so far become one string.
const reasonBlock = 64 << 10

// reasonWriter builds the customers' reason sentences without a string per piece: sentences
// are appended to a shared byte buffer, each block of about 64 KB becomes one string, and each
// customer's reason is a substring of it. A million reasons cost a few hundred allocations.
type reasonWriter struct {
	out  []string // Result.Reason
	buf  []byte
	rows []int32 // rows whose sentences are in buf, in order
	ends []int   // where each ends in buf
}

func newReasonWriter(out []string) *reasonWriter {
	return &reasonWriter{out: out, buf: make([]byte, 0, reasonBlock+256)}
}

// done records that the sentence of row i ends at len(b), b being w.buf with it appended.
func (w *reasonWriter) done(i int32, b []byte) {
	w.buf = b
	w.rows = append(w.rows, i)
	w.ends = append(w.ends, len(b))
	if len(b) >= reasonBlock {
		w.flush()
	}
}

// flush turns the buffered sentences into one string and hands out its substrings.
func (w *reasonWriter) flush() {
	s := string(w.buf)
	start := 0
	for k, row := range w.rows {
		w.out[row] = s[start:w.ends[k]]
		start = w.ends[k]
	}
	w.buf, w.rows, w.ends = w.buf[:0], w.rows[:0], w.ends[:0]
}

// rank writes "profit <v><mid><pct>%<suffix>", pct with one decimal (as fmt's %.1f).
func (w *reasonWriter) rank(i int32, v int64, scale int, mid string, pct float64, suffix string) {
	b := append(w.buf, "profit "...)
	b = appendMoney(b, v, scale)
	b = append(b, mid...)
	b = strconv.AppendFloat(b, pct, 'f', 1, 64)
	b = append(b, '%')
	w.done(i, append(b, suffix...))
}

// money writes "<prefix><v><suffix>".
func (w *reasonWriter) money(i int32, prefix string, v int64, scale int, suffix string) {
	b := append(w.buf, prefix...)
	b = appendMoney(b, v, scale)
	w.done(i, append(b, suffix...))
}
