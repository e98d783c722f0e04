package app

import (
	"context"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// storeBuckets keeps a channel's token buckets in the store, shared by every instance.
type storeBuckets struct{ st store.Store }

func (b storeBuckets) Bucket(name string, rate float64, burst int) channel.Pacer {
	return storeBucket{st: b.st, key: "bucket:" + name, every: time.Duration(float64(time.Second) / max(rate, 1e-6)), burst: burst}
}

// storeBucket is one bucket: each Wait takes a token and sleeps until it may leave.
type storeBucket struct {
	st    store.Store
	key   string
	every time.Duration
	burst int
}

func (b storeBucket) Wait(ctx context.Context) error {
	wait, err := b.st.TakeToken(ctx, b.key, b.every, b.burst)
	if err != nil {
		return err
	}
	return channel.Sleep(ctx, wait)
}
