package objstore_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rfmjob/rfm/jobs/internal/s3test"
	"github.com/rfmjob/rfm/jobs/objstore"
)

func TestResolveListsLikeALocalDirectory(t *testing.T) {
	s := s3test.Start(t)
	s.Bucket("lake")
	for _, k := range []string{"data/a.parquet", "data/year=2024/month=01/b.parquet", "data/year=2023/c.parquet", "data/_SUCCESS",
		"data/.hidden/d.parquet", "data/_tmp/e.parquet", "data/notes.txt", "data/x.csv", "other/f.parquet", "database/g.parquet"} {
		s.PutBytes("s3://lake/"+k, []byte(k))
	}
	keys := func(objs []objstore.Info) string {
		var out []string
		for _, o := range objs {
			out = append(out, strings.TrimPrefix(o.URL, "s3://lake/"))
		}
		return strings.Join(out, " ")
	}
	ctx := context.Background()
	for _, c := range []struct{ pattern, want string }{
		{"s3://lake/data", "data/a.parquet data/year=2023/c.parquet data/year=2024/month=01/b.parquet"},
		{"s3://lake/data/", "data/a.parquet data/year=2023/c.parquet data/year=2024/month=01/b.parquet"},
		{"s3://lake/data/a.parquet", "data/a.parquet"},
		{"s3://lake/data/notes.txt", "data/notes.txt"}, // an object is taken as given
		{"s3://lake/data/*.parquet", "data/a.parquet"},
		{"s3://lake/data/year=*", "data/year=2023/c.parquet data/year=2024/month=01/b.parquet"},
		{"s3://lake/data/year=2024/*/*.parquet", "data/year=2024/month=01/b.parquet"},
		{"s3://lake/d*/a.parquet", "data/a.parquet"},
	} {
		got, err := objstore.Resolve(ctx, c.pattern)
		if err != nil {
			t.Errorf("objstore.Resolve(%s): %v", c.pattern, err)
			continue
		}
		if keys(got) != c.want {
			t.Errorf("objstore.Resolve(%s) = %s, want %s", c.pattern, keys(got), c.want)
		}
		for _, o := range got {
			if o.Size != int64(len(strings.TrimPrefix(o.URL, "s3://lake/"))) {
				t.Errorf("%s: size %d, want its key's length", o.URL, o.Size)
			}
		}
	}
	if _, err := objstore.Resolve(ctx, "s3://lake/nothing/"); !errors.Is(err, objstore.ErrNoObjects) || !strings.Contains(err.Error(), "s3://lake/nothing/") {
		t.Errorf("empty prefix: %v, want objstore.ErrNoObjects naming it", err)
	}
	if _, err := objstore.Resolve(ctx, "s3://no-such-bucket/data/"); !errors.Is(err, objstore.ErrNotFound) || !strings.Contains(err.Error(), "s3://no-such-bucket/data/") {
		t.Errorf("missing bucket: %v, want objstore.ErrNotFound naming the URL", err)
	}
	if _, err := objstore.Resolve(ctx, "s3:///data"); !errors.Is(err, objstore.ErrURL) {
		t.Errorf("no bucket: %v, want ErrURL", err)
	}
}

// TestReaderReadsEveryByte compares random reads, across segments, gaps and the tail, with the
// object's bytes, and counts the GETs of a sequential pass: one a segment.
func TestReaderReadsEveryByte(t *testing.T) {
	s := s3test.Start(t)
	s.Bucket("bkt")
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 3<<20+12345)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	s.PutBytes("s3://bkt/obj.bin", data)
	ctx := context.Background()
	r, err := objstore.Open(ctx, "s3://bkt/obj.bin")
	if err != nil {
		t.Fatal(err)
	}
	if r.Size() != int64(len(data)) {
		t.Fatalf("size %d, want %d", r.Size(), len(data))
	}
	segs := []objstore.Segment{{Off: 4, Len: 500_000, Group: 0}, {Off: 600_000, Len: 700_000, Group: 0}, {Off: 1_300_000, Len: 900_000, Group: 1},
		{Off: 2_500_000, Len: 100_000, Group: 1}}
	r.Segments(segs)
	for _, sg := range segs {
		buf := make([]byte, 4096)
		for off := sg.Off; off < sg.Off+sg.Len; off += int64(len(buf)) {
			n := min(int64(len(buf)), sg.Off+sg.Len-off)
			if _, err := r.ReadAt(buf[:n], off); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf[:n], data[off:off+n]) {
				t.Fatalf("bytes at %d differ", off)
			}
		}
	}
	if got := r.Requests(); got != int64(len(segs)) {
		t.Errorf("a sequential pass over %d segments made %d GETs, want one a segment", len(segs), got)
	}
	for range 300 {
		off := rng.Int64N(int64(len(data)))
		n := rng.Int64N(300_000)
		buf := make([]byte, n)
		k, err := r.ReadAt(buf, off)
		want := min(n, int64(len(data))-off)
		if int64(k) != want || (want < n) != (err != nil) {
			t.Fatalf("ReadAt(%d bytes at %d) = %d, %v; want %d bytes", n, off, k, err, want)
		}
		if !bytes.Equal(buf[:k], data[off:off+int64(k)]) {
			t.Fatalf("ReadAt(%d bytes at %d): bytes differ", n, off)
		}
	}
}

// TestReaderFaults: a deleted object, a replaced one, refused credentials, a stopped server.
func TestReaderFaults(t *testing.T) {
	s := s3test.Start(t)
	s.Bucket("bkt")
	s.PutBytes("s3://bkt/gone.bin", bytes.Repeat([]byte("x"), 1<<20))
	s.PutBytes("s3://bkt/changed.bin", bytes.Repeat([]byte("y"), 1<<20))
	ctx := context.Background()

	r, err := objstore.Open(ctx, "s3://bkt/gone.bin")
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(s.Path("s3://bkt/gone.bin")) // behind the gateway's back, as another client's DELETE
	if _, err := r.ReadAt(make([]byte, 10), 0); !errors.Is(err, objstore.ErrNotFound) || !strings.Contains(err.Error(), "s3://bkt/gone.bin") {
		t.Errorf("object deleted after opening: %v, want objstore.ErrNotFound naming it", err)
	}

	r, err = objstore.Open(ctx, "s3://bkt/changed.bin")
	if err != nil {
		t.Fatal(err)
	}
	s.PutBytes("s3://bkt/changed.bin", bytes.Repeat([]byte("z"), 1<<20))
	if _, err := r.ReadAt(make([]byte, 10), 0); !errors.Is(err, objstore.ErrChanged) {
		t.Errorf("object replaced by one of the same length after opening: %v, want ErrChanged (If-Match)", err)
	}

	if _, err := objstore.Stat(ctx, "s3://bkt/missing.bin"); !errors.Is(err, objstore.ErrNotFound) {
		t.Errorf("missing object: %v, want ErrNotFound", err)
	}

	t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret-value")
	_, err = objstore.Stat(ctx, "s3://bkt/changed.bin")
	if !errors.Is(err, objstore.ErrAccessDenied) {
		t.Errorf("wrong secret: %v, want ErrAccessDenied", err)
	}
	if err != nil && (strings.Contains(err.Error(), "wrong-secret-value") || strings.Contains(err.Error(), s3test.SecretKey)) {
		t.Errorf("the error shows a secret: %v", err)
	}
	t.Setenv("AWS_SECRET_ACCESS_KEY", s3test.SecretKey)

	s.Stop()
	if _, err := objstore.Stat(ctx, "s3://bkt/changed.bin"); !errors.Is(err, objstore.ErrUnavailable) {
		t.Errorf("server stopped: %v, want ErrUnavailable", err)
	}
}

// TestConditionalCreate: If-None-Match: * creates an object once; the second create finds it.
func TestConditionalCreate(t *testing.T) {
	s := s3test.Start(t)
	s.Bucket("bkt")
	ctx := context.Background()
	if _, err := objstore.PutBytes(ctx, "s3://bkt/locks/a.lock", []byte("first"), true); err != nil {
		t.Fatal(err)
	}
	if _, err := objstore.PutBytes(ctx, "s3://bkt/locks/a.lock", []byte("second"), true); !errors.Is(err, objstore.ErrExists) {
		t.Fatalf("second conditional create: %v, want ErrExists", err)
	}
	if got, err := objstore.Get(ctx, "s3://bkt/locks/a.lock"); err != nil || string(got) != "first" {
		t.Fatalf("after a refused create the object is %q (%v), want the first", got, err)
	}
	if err := objstore.Delete(ctx, "s3://bkt/locks/a.lock"); err != nil {
		t.Fatal(err)
	}
	if err := objstore.Delete(ctx, "s3://bkt/locks/a.lock"); err != nil {
		t.Fatalf("deleting a missing object: %v", err)
	}
	if _, err := objstore.PutBytes(ctx, "s3://bkt/locks/a.lock", []byte("third"), true); err != nil {
		t.Fatalf("create after delete: %v", err)
	}
	objs, err := objstore.List(ctx, "s3://bkt/locks/")
	if err != nil || len(objs) != 1 || objs[0].Size != 5 {
		t.Fatalf("objstore.List = %+v, %v; want the one lock of 5 bytes", objs, err)
	}
}

// TestReaderWithoutETags: on a server that gives no ETag (the gateway without metadata), a read
// is guarded by the length and the last-modified time seen when the object was opened.
func TestReaderWithoutETags(t *testing.T) {
	s := s3test.StartNoMeta(t)
	s.Bucket("bkt")
	ctx := context.Background()
	s.WriteBehind("s3://bkt/changed.bin", bytes.Repeat([]byte("y"), 1<<20))
	r, err := objstore.Open(ctx, "s3://bkt/changed.bin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadAt(make([]byte, 10), 0); err != nil {
		t.Fatal(err)
	}
	s.WriteBehind("s3://bkt/changed.bin", bytes.Repeat([]byte("z"), 1<<20+1))
	if _, err := r.ReadAt(make([]byte, 10), 100); !errors.Is(err, objstore.ErrChanged) {
		t.Errorf("object replaced by a longer one: %v, want ErrChanged (its length)", err)
	}
	r, err = objstore.Open(ctx, "s3://bkt/changed.bin")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond)
	s.WriteBehind("s3://bkt/changed.bin", bytes.Repeat([]byte("w"), 1<<20+1))
	if _, err := r.ReadAt(make([]byte, 10), 0); !errors.Is(err, objstore.ErrChanged) {
		t.Errorf("object replaced by one of the same length a second later: %v, want ErrChanged (If-Unmodified-Since)", err)
	}
}

// TestRetriesOutlastAShortOutage: requests refused while the server restarts are retried with
// backoff, and the read succeeds once it is back.
func TestRetriesOutlastAShortOutage(t *testing.T) {
	s := s3test.Start(t)
	s.Bucket("bkt")
	s.PutBytes("s3://bkt/obj.bin", bytes.Repeat([]byte("x"), 1000))
	t.Setenv("AWS_MAX_ATTEMPTS", "8")
	s.Stop()
	done := make(chan error, 1)
	go func() {
		_, err := objstore.Stat(context.Background(), "s3://bkt/obj.bin")
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	s.Restart()
	if err := <-done; err != nil {
		t.Fatalf("a request during a 300 ms outage: %v, want it retried until the server is back", err)
	}
}

// TestCredentialsFromAProfile: with no keys in the environment, AWS_PROFILE picks the keys of
// a named profile from the shared credentials file, as the AWS CLI does.
func TestCredentialsFromAProfile(t *testing.T) {
	s := s3test.Start(t)
	s.Bucket("bkt")
	s.PutBytes("s3://bkt/obj.bin", []byte("x"))
	creds := filepath.Join(t.TempDir(), "credentials")
	os.WriteFile(creds, []byte("[default]\naws_access_key_id = wrong\naws_secret_access_key = wrong\n\n[rfm]\naws_access_key_id = "+
		s3test.AccessKey+"\naws_secret_access_key = "+s3test.SecretKey+"\n"), 0o600)
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	t.Setenv("AWS_PROFILE", "rfm")
	if _, err := objstore.Stat(context.Background(), "s3://bkt/obj.bin"); err != nil {
		t.Errorf("with AWS_PROFILE=rfm: %v", err)
	}
	t.Setenv("AWS_PROFILE", "default")
	if _, err := objstore.Get(context.Background(), "s3://bkt/obj.bin"); !errors.Is(err, objstore.ErrAccessDenied) {
		t.Errorf("with the default profile's wrong keys: %v, want ErrAccessDenied", err)
	}
}
