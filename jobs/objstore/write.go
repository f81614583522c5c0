package objstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// PutFile uploads the local file src as the object url with one PUT: the object is the whole
// file or, if the PUT fails, what it was before. It returns the object's ETag ("" when the
// server gives none).
func PutFile(ctx context.Context, url, src string) (string, error) {
	f, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	return put(ctx, url, f, st.Size(), false)
}

// PutBytes writes data as the object url with one PUT. With ifAbsent the PUT carries
// If-None-Match: *, and fails with ErrExists when the object is there.
func PutBytes(ctx context.Context, url string, data []byte, ifAbsent bool) (string, error) {
	return put(ctx, url, bytes.NewReader(data), int64(len(data)), ifAbsent)
}

func put(ctx context.Context, url string, body io.ReadSeeker, size int64, ifAbsent bool) (string, error) {
	bucket, key, err := splitURL(url)
	if err != nil {
		return "", err
	}
	c, err := client(ctx)
	if err != nil {
		return "", err
	}
	forget(url)
	in := &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: body, ContentLength: aws.Int64(size)}
	if ifAbsent {
		in.IfNoneMatch = aws.String("*")
	}
	out, err := c.PutObject(ctx, in)
	if err != nil {
		err = classify("PUT", url, err)
		if ifAbsent && errors.Is(err, ErrChanged) { // 412: the object exists
			return "", fmt.Errorf("%w: %w", ErrExists, err)
		}
		return "", err
	}
	return aws.ToString(out.ETag), nil
}

// Get returns the whole object at url (a manifest, a lock, a failure record).
func Get(ctx context.Context, url string) ([]byte, error) {
	bucket, key, err := splitURL(url)
	if err != nil {
		return nil, err
	}
	c, err := client(ctx)
	if err != nil {
		return nil, err
	}
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		return nil, classify("GET", url, err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, classify("GET", url, err)
	}
	return data, nil
}

// Delete removes the object at url; a missing object is not an error.
func Delete(ctx context.Context, url string) error {
	bucket, key, err := splitURL(url)
	if err != nil {
		return err
	}
	c, err := client(ctx)
	if err != nil {
		return err
	}
	forget(url)
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &bucket, Key: &key}); err != nil {
		if err := classify("DELETE", url, err); !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	return nil
}

// List returns every object under the prefix url (s3://bucket/prefix/), sorted by key.
func List(ctx context.Context, prefix string) ([]Info, error) {
	bucket, key, err := splitURL(prefix)
	if err != nil {
		return nil, err
	}
	c, err := client(ctx)
	if err != nil {
		return nil, err
	}
	var out []Info
	if err := list(ctx, c, bucket, key, func(_ string, o Info) { out = append(out, o) }); err != nil {
		return nil, classify("LIST", prefix, err)
	}
	return out, nil
}
