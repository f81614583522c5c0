package objstore

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Reader reads one object through ranged GETs, each made with If-Match on the ETag seen when
// it was opened (If-Unmodified-Since its time on a server that gives no ETag) and checked
// against the size seen then, so a file replaced or deleted while it is read is an error
// (ErrChanged, ErrNotFound), never a mix of two versions.
//
// Reads inside the segments given to Segments (a Parquet file's column chunks) fetch the whole
// segment with one GET, and the first read of a group's segment starts fetching the group's
// other segments and the next group's at once, so the chunks of a row group arrive in parallel
// and the next group's while this one is decoded. A segment is dropped once every byte of it
// has been read. The object's first headSize and last tailSize bytes (the magic bytes, the
// footer) are fetched once and cached for the process; a small file is read from its tail.
// Other reads are fetched as they come.
type Reader struct {
	ctx              context.Context
	c                *s3.Client
	url, bucket, key string
	size             int64
	etag             string
	modified         time.Time
	mu               sync.Mutex
	segs             []Segment // sorted by Off, disjoint
	fetched          map[int]*fetch
	tail             []byte // the last len(tail) bytes, once read
	tailOnce         sync.Once
	tailErr          error
	tailDone         bool // tail holds the object's end
	sem              chan struct{}
	requests         int64
}

// Segment is a byte range read whole, in Group with the segments fetched alongside it.
type Segment struct {
	Off, Len int64
	Group    int
}

type fetch struct {
	done chan struct{}
	data []byte
	err  error
	read int64 // bytes handed out
}

// tailSize is how much of an object's end the first footer read fetches: the footer and its
// length, in one request, for files of up to about a hundred row groups (a longer footer is
// fetched in a second).
const tailSize = 64 << 10

// parallel bounds the GETs in flight for one reader.
const parallel = 8

// Open opens the object at url for reading, as Describe finds it.
func Open(ctx context.Context, url string) (*Reader, error) {
	info, err := Describe(ctx, url)
	if err != nil {
		return nil, err
	}
	bucket, key, err := splitURL(info.URL)
	if err != nil {
		return nil, err
	}
	c, err := client(ctx)
	if err != nil {
		return nil, err
	}
	return &Reader{ctx: ctx, c: c, url: info.URL, bucket: bucket, key: key, size: info.Size, etag: info.ETag, modified: info.Modified,
		fetched: map[int]*fetch{}, sem: make(chan struct{}, parallel)}, nil
}

// Size is the object's length in bytes.
func (r *Reader) Size() int64 { return r.size }

// Close drops what the reader holds.
func (r *Reader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fetched, r.segs, r.tail = map[int]*fetch{}, nil, nil
	return nil
}

// Segments declares the byte ranges the caller is going to read (replacing earlier ones).
func (r *Reader) Segments(segs []Segment) {
	segs = slices.Clone(segs)
	slices.SortFunc(segs, func(a, b Segment) int { return cmp.Compare(a.Off, b.Off) })
	// Overlapping ranges (one column mapped to two roles, a corrupt footer) keep the first.
	kept := segs[:0]
	for _, s := range segs {
		if s.Len > 0 && (len(kept) == 0 || s.Off >= kept[len(kept)-1].Off+kept[len(kept)-1].Len) {
			kept = append(kept, s)
		}
	}
	segs = kept
	r.mu.Lock()
	defer r.mu.Unlock()
	r.segs, r.fetched = segs, map[int]*fetch{}
}

// Requests returns the GETs made so far (for tests and benchmarks).
func (r *Reader) Requests() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests
}

// ReadAt implements io.ReaderAt.
func (r *Reader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("objstore: %s: negative offset %d", r.url, off)
	}
	n := 0
	for n < len(p) {
		at := off + int64(n)
		if at >= r.size {
			return n, io.EOF
		}
		k, err := r.readSome(p[n:], at)
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// readSome reads what it can of p at off from one source: a segment, the tail, or a GET.
func (r *Reader) readSome(p []byte, off int64) (int, error) {
	// A small file is all in its tail, once the footer was read.
	if tail := r.tailIfRead(); tail != nil && off >= r.size-int64(len(tail)) {
		return copy(p, tail[off-(r.size-int64(len(tail))):]), nil
	}
	if i, ok := r.segmentAt(off); ok {
		return r.fromSegment(p, off, i)
	}
	if off+int64(len(p)) <= headSize && r.size > tailSize {
		// The magic bytes at the start, which a Parquet reader checks on every open.
		head, err := r.ends(0, headSize, &ends.heads)
		if err != nil {
			return 0, err
		}
		return copy(p, head[off:]), nil
	}
	if r.size-off <= tailSize {
		r.tailOnce.Do(func() {
			start := max(0, r.size-tailSize)
			tail, err := r.ends(start, r.size-start, &ends.tails)
			r.mu.Lock()
			r.tail, r.tailErr, r.tailDone = tail, err, err == nil
			r.mu.Unlock()
		})
		if r.tailErr != nil {
			return 0, r.tailErr
		}
		tailStart := r.size - int64(len(r.tail))
		return copy(p, r.tail[off-tailStart:]), nil
	}
	// Up to the next segment or the tail, whichever comes first.
	end := min(off+int64(len(p)), r.size-tailSize)
	if i := r.segmentAfter(off); i >= 0 {
		end = min(end, r.segs[i].Off)
	}
	data, err := r.get(off, end-off)
	if err != nil {
		return 0, err
	}
	return copy(p, data), nil
}

// tailIfRead returns the object's tail when it has been fetched, else nil.
func (r *Reader) tailIfRead() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.tailDone {
		return nil
	}
	return r.tail
}

func (r *Reader) segmentAt(off int64) (int, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	i, _ := slices.BinarySearchFunc(r.segs, off, func(s Segment, off int64) int { return cmp.Compare(s.Off, off) })
	if i < len(r.segs) && r.segs[i].Off == off {
		return i, true
	}
	if i > 0 && off < r.segs[i-1].Off+r.segs[i-1].Len {
		return i - 1, true
	}
	return 0, false
}

// segmentAfter returns the first segment starting after off, or −1.
func (r *Reader) segmentAfter(off int64) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	i, _ := slices.BinarySearchFunc(r.segs, off+1, func(s Segment, off int64) int { return cmp.Compare(s.Off, off) })
	if i < len(r.segs) {
		return i
	}
	return -1
}

// fromSegment copies from segment i, fetching it (and starting its group's) when needed.
func (r *Reader) fromSegment(p []byte, off int64, i int) (int, error) {
	r.mu.Lock()
	s := r.segs[i]
	f, ok := r.fetched[i]
	if !ok {
		f = r.start(i)
		// The group's other segments, and the next group's, which the next reader of this
		// object (another worker, or this one) will want while this one is decoded.
		for j, o := range r.segs {
			if (o.Group == s.Group || o.Group == s.Group+1) && j != i {
				if _, ok := r.fetched[j]; !ok {
					r.start(j)
				}
			}
		}
	}
	r.mu.Unlock()
	<-f.done
	if f.err != nil {
		return 0, f.err
	}
	n := copy(p, f.data[off-s.Off:])
	r.mu.Lock()
	f.read += int64(n)
	if f.read >= s.Len && r.fetched[i] == f {
		f.data = nil // every byte was handed out: a second pass fetches again
		delete(r.fetched, i)
	}
	r.mu.Unlock()
	return n, nil
}

// start begins fetching segment i; r.mu is held.
func (r *Reader) start(i int) *fetch {
	s := r.segs[i]
	f := &fetch{done: make(chan struct{})}
	r.fetched[i] = f
	go func() {
		defer close(f.done)
		r.sem <- struct{}{}
		defer func() { <-r.sem }()
		f.data, f.err = r.get(s.Off, s.Len)
	}()
	return f
}

// get fetches n bytes at off with one ranged GET.
func (r *Reader) get(off, n int64) ([]byte, error) {
	if n <= 0 {
		return nil, nil
	}
	rng := fmt.Sprintf("bytes=%d-%d", off, off+n-1)
	in := &s3.GetObjectInput{Bucket: &r.bucket, Key: &r.key, Range: &rng}
	if r.etag != "" {
		in.IfMatch = &r.etag
	} else if !r.modified.IsZero() {
		// HTTP dates have whole seconds, and a server compares its finer time: a second of
		// slack, so only a replacement in the same second as the original goes unseen.
		since := r.modified.Truncate(time.Second).Add(time.Second)
		in.IfUnmodifiedSince = &since
	}
	data := make([]byte, n)
	// The SDK retries a request that fails; a body cut off midway is retried here.
	var err error
	for attempt := 0; attempt < bodyAttempts; attempt++ {
		r.mu.Lock()
		r.requests++
		r.mu.Unlock()
		var out *s3.GetObjectOutput
		out, err = r.c.GetObject(r.ctx, in)
		if err != nil {
			return nil, classify("GET", r.url, err)
		}
		if total, ok := rangeTotal(aws.ToString(out.ContentRange)); ok && total != r.size {
			out.Body.Close()
			return nil, fmt.Errorf("%w: GET %s: %d bytes now, %d when opened", ErrChanged, r.url, total, r.size)
		}
		_, err = io.ReadFull(out.Body, data)
		out.Body.Close()
		if err == nil {
			fetchedBytes.Add(n)
			return data, nil
		}
		if r.ctx.Err() != nil {
			break
		}
	}
	return nil, classify("GET", r.url, fmt.Errorf("reading bytes %d-%d: %w", off, off+n-1, err))
}

// headSize is how much of an object's start is fetched for a read there (the magic bytes).
const headSize = 64

// ends caches the first and last bytes of the objects this process opened, by identity (URL,
// size, ETag, modified time), up to endsBudget bytes: a file is opened once to be inspected and
// again to be read, and its footer and magic bytes were two GETs each time.
var ends struct {
	sync.Mutex
	heads, tails map[string][]byte
	bytes        int
}

// endsBudget bounds the bytes ends holds (about a thousand footers).
const endsBudget = 64 << 20

// ends returns n bytes at off from the cache m, or fetches and caches them.
func (r *Reader) ends(off, n int64, m *map[string][]byte) ([]byte, error) {
	id := fmt.Sprintf("%s\x00%d\x00%s\x00%d", r.url, r.size, r.etag, r.modified.UnixNano())
	ends.Lock()
	data, ok := (*m)[id]
	ends.Unlock()
	if ok {
		return data, nil
	}
	data, err := r.get(off, n)
	if err != nil {
		return nil, err
	}
	ends.Lock()
	if ends.bytes+len(data) <= endsBudget {
		if *m == nil {
			*m = map[string][]byte{}
		}
		(*m)[id] = data
		ends.bytes += len(data)
	}
	ends.Unlock()
	return data, nil
}

// fetchedBytes counts the bytes every reader of the process has fetched.
var fetchedBytes atomic.Int64

// FetchedBytes returns how many bytes of objects the process has fetched so far, for tests and
// benchmarks that check what a job reads.
func FetchedBytes() int64 { return fetchedBytes.Load() }

// rangeTotal is the object length of a Content-Range header ("bytes 0-99/1234").
func rangeTotal(h string) (int64, bool) {
	_, total, ok := strings.Cut(h, "/")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(total, 10, 64)
	return n, err == nil
}

// bodyAttempts is how many times a GET whose body was cut off is made.
const bodyAttempts = 3
