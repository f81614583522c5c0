// Package objstore reads the job's inputs from an S3-compatible object store (AWS S3, MinIO,
// Ceph, Cloudflare R2, the Versity gateway): it expands s3:// URLs into objects and opens each
// as an io.ReaderAt served by ranged GETs, so the Parquet reader fetches a file's footer and
// then only the column chunks it reads.
//
// The client is configured the way AWS users expect, by the SDK's default chain: the
// environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION,
// AWS_PROFILE and the shared config files, web identity tokens, instance roles) and
// AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_S3) for an S3-compatible server, which implies
// path-style addressing. Requests are retried with backoff on throttling, 5xx and connection
// errors (AWS_MAX_ATTEMPTS, default 5). No credential ever reaches an error message: errors
// name the object's URL, the operation and the server's status.
package objstore

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
)

// Errors of the object store, wrapped with the URL at fault; test with errors.Is.
var (
	// ErrNotFound: the bucket or the object does not exist (404), or was deleted while being
	// read.
	ErrNotFound = errors.New("objstore: not found")
	// ErrAccessDenied: the credentials are refused or lack the permission (403).
	ErrAccessDenied = errors.New("objstore: access denied")
	// ErrChanged: the object was replaced while being read (its ETag no longer matches).
	ErrChanged = errors.New("objstore: object changed while being read")
	// ErrUnavailable: the server could not be reached or kept failing after the retries.
	ErrUnavailable = errors.New("objstore: unavailable")
	// ErrURL: not a well-formed s3://bucket/key URL.
	ErrURL = errors.New("objstore: bad URL")
	// ErrNoObjects: a URL or pattern matched no Parquet object.
	ErrNoObjects = errors.New("objstore: no Parquet objects")
	// ErrExists: a conditional create (If-None-Match: *) found the object already there.
	ErrExists = errors.New("objstore: object exists")
)

// Scheme prefixes the URLs of objects.
const Scheme = "s3://"

// IsURL reports whether path names an object store location rather than a local path.
func IsURL(path string) bool { return strings.HasPrefix(path, Scheme) }

// splitURL returns the bucket and key of s3://bucket/key (key may be empty or a prefix).
func splitURL(u string) (bucket, key string, err error) {
	if !IsURL(u) {
		return "", "", fmt.Errorf("%w: %q does not start with %s", ErrURL, u, Scheme)
	}
	bucket, key, _ = strings.Cut(strings.TrimPrefix(u, Scheme), "/")
	if bucket == "" {
		return "", "", fmt.Errorf("%w: %q names no bucket", ErrURL, u)
	}
	return bucket, key, nil
}

func joinURL(bucket, key string) string { return Scheme + bucket + "/" + key }

// clients holds one client per configuration seen (the AWS environment may differ between
// the runs of one process, as in tests).
var clients struct {
	sync.Mutex
	byEnv map[string]*s3.Client
}

// client returns the S3 client of the current AWS environment.
func client(ctx context.Context) (*s3.Client, error) {
	var key strings.Builder
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "AWS_") {
			key.WriteString(kv)
			key.WriteByte(0)
		}
	}
	clients.Lock()
	defer clients.Unlock()
	if c, ok := clients.byEnv[key.String()]; ok {
		return c, nil
	}
	// The job logs what it does itself; the SDK's own notes (a credential provider falling
	// back, a ranged response without a checksum to validate) would break the silence a cron
	// run expects.
	cfg, err := config.LoadDefaultConfig(ctx, config.WithLogger(logging.Nop{}), config.WithClientLogMode(0))
	if err != nil {
		return nil, fmt.Errorf("objstore: AWS configuration: %w", err)
	}
	// Credentials are looked up once, here: none anywhere in the chain is a setup problem to
	// say plainly, not a server that is down.
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return nil, fmt.Errorf("%w: no AWS credentials found (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, a web identity token or an instance role): %v", ErrAccessDenied, err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1" // S3-compatible servers accept any; AWS routes us-east-1 buckets
	}
	if os.Getenv("AWS_MAX_ATTEMPTS") == "" {
		cfg.RetryMaxAttempts = 5
	}
	c := s3.NewFromConfig(cfg, func(o *s3.Options) {
		// A custom endpoint (AWS_ENDPOINT_URL) is an S3-compatible server, which expects
		// path-style requests (http://host/bucket/key).
		if o.BaseEndpoint != nil {
			o.UsePathStyle = true
		}
	})
	if clients.byEnv == nil {
		clients.byEnv = map[string]*s3.Client{}
	}
	clients.byEnv[key.String()] = c
	return c, nil
}

// classify wraps err of op on url in the package's error kinds, keeping the server's message.
func classify(op, url string, err error) error {
	if err == nil {
		return nil
	}
	kind := ErrUnavailable
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		switch re.HTTPStatusCode() {
		case http.StatusNotFound:
			kind = ErrNotFound
		case http.StatusForbidden:
			kind = ErrAccessDenied
		case http.StatusPreconditionFailed:
			kind = ErrChanged
		}
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "NoSuchKey", "NoSuchBucket", "NotFound":
			kind = ErrNotFound
		// The Versity gateway answers an unknown access key with 404 XAdminUserNotFound where
		// AWS answers 403 InvalidAccessKeyId: both are refused credentials, not a missing object.
		case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "Forbidden", "XAdminUserNotFound":
			kind = ErrAccessDenied
		case "PreconditionFailed":
			kind = ErrChanged
		}
		return fmt.Errorf("%w: %s %s: %s: %s", kind, op, url, api.ErrorCode(), api.ErrorMessage())
	}
	return fmt.Errorf("%w: %s %s: %v", kind, op, url, err)
}

// Info describes one object.
type Info struct {
	URL  string
	Size int64
	ETag string
	// Modified is the object's last-modified time, which guards reads of servers that give
	// no ETag.
	Modified time.Time
}

// listed holds what the last Resolve of this process listed of each object, so that opening
// and describing an input costs no HEAD: a lake of 300 small files took 900 requests more.
// A PUT or DELETE through this package forgets the object; a change by anyone else shows at
// the first read, whose If-Match (or length check) fails with ErrChanged.
var listed sync.Map // URL → Info

func remember(objects []Info) {
	for _, o := range objects {
		listed.Store(o.URL, o)
	}
}

func forget(url string) { listed.Delete(url) }

// Known returns what the last Resolve listed of the object at url, or false.
func Known(url string) (Info, bool) {
	v, ok := listed.Load(url)
	if !ok {
		return Info{}, false
	}
	return v.(Info), true
}

// Describe returns the object at url as the last Resolve listed it, or as a HEAD finds it when
// it was not listed: what a job reads of an input and records of it.
func Describe(ctx context.Context, url string) (Info, error) {
	if info, ok := Known(url); ok {
		return info, nil
	}
	return Stat(ctx, url)
}

// Stat returns the size and ETag of the object at url, by a HEAD.
func Stat(ctx context.Context, url string) (Info, error) {
	bucket, key, err := splitURL(url)
	if err != nil {
		return Info{}, err
	}
	c, err := client(ctx)
	if err != nil {
		return Info{}, err
	}
	out, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		return Info{}, classify("HEAD", url, err)
	}
	return Info{URL: url, Size: aws.ToInt64(out.ContentLength), ETag: aws.ToString(out.ETag), Modified: aws.ToTime(out.LastModified)}, nil
}
