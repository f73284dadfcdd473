//go:build race

package sgd

// raceEnabled: the race detector changes what allocates (sync.Pool, which
// mat uses, drops items at random under it), so allocation counts are only
// checked without it.
const raceEnabled = true
