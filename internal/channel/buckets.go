package channel

// Buckets hands out token buckets kept where every instance on the database finds them: a
// marketplace whose quota is a rate and a burst per operation (Amazon's usage plans) sees the
// calls of all instances together stay within the burst.
type Buckets interface {
	// Bucket is the bucket name (no secret in it) refilled at rate tokens a second, holding up to
	// burst; its Wait takes a token, waiting until one is there.
	Bucket(name string, rate float64, burst int) Pacer
}
