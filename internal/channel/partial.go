package channel

import "errors"

// ErrPartial is what a Fetch returns, wrapped, with the orders it read when it stopped before the
// end of its window to stay inside the job's time (a channel that reads each order by a call of
// its own). The import stores the orders returned, leaves the window where it was and runs
// again at once; the next Fetch of the window reads only the orders still missing
// (Account.Stored).
var ErrPartial = errors.New("window read in part: the rest in the next run")
