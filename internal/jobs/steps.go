package jobs

import (
	"context"
	"strings"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// RetryCap is the longest a failed channel job (an import, a dispatch) waits before its next
// attempt. River's default backoff grows to hours, and a unique import waiting that long keeps
// the shop's next import from being queued; a run taken up again after a crash waits a second.
const RetryCap = time.Minute

// channelRetry is when a channel job that failed for the attempt-th time (a crash counts) tries
// again: River's attempt⁴ seconds, at most RetryCap.
func channelRetry(job *rivertype.JobRow, now time.Time) time.Time {
	n := time.Duration(len(job.Errors) + 1)
	return now.Add(min(RetryCap, n*n*n*n*time.Second))
}

// ImportStep is the longest window of time one import step asks the marketplace for: a catch-up
// over weeks or a range of 730 days goes a step at a time, each recorded before the next (a
// shop's first import, FirstImportLookback, is one step). Each
// attempt of the job that ran out of time halves it (down to MinImportStep), so a window too
// full to fetch within the job timeout is split until it fits.
const ImportStep = FirstImportLookback

// MinImportStep is the shortest import step.
const MinImportStep = time.Minute

// importStep is the step window of a job whose earlier attempts are errs.
func importStep(errs []rivertype.AttemptError) time.Duration {
	timeouts := 0
	for _, e := range errs {
		if strings.Contains(e.Error, context.DeadlineExceeded.Error()) {
			timeouts++
		}
	}
	return max(ImportStep>>min(timeouts, 20), MinImportStep)
}

// stepper tells a run whether another step fits in its budget: the time spent so far and the
// longest step yet must leave the step budget unspent.
type stepper struct {
	started, last time.Time
	longest       time.Duration
	budget        time.Duration
}

func newStepper(budget time.Duration) *stepper {
	now := time.Now()
	return &stepper{started: now, last: now, budget: budget}
}

// another records that a step ended and says whether another fits.
func (s *stepper) another() bool {
	now := time.Now()
	s.longest = max(s.longest, now.Sub(s.last))
	s.last = now
	return now.Sub(s.started)+s.longest < s.budget
}
