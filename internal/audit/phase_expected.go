package audit

import (
	"context"
	"fmt"
)

// SetPhaseExpectedHours implements store.Store.
func (s *Store) SetPhaseExpectedHours(ctx context.Context, phaseID, hours int64) error {
	name := s.phaseName(ctx, phaseID)
	err := s.Store.SetPhaseExpectedHours(ctx, phaseID, hours)
	detail := "制限なし"
	if hours > 0 {
		detail = fmt.Sprintf("%d時間", hours)
	}
	s.record(ctx, err, "処理フェーズの想定滞留時間を変更", name, detail)
	return err
}
