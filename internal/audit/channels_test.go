package audit_test

// The tests use the channels ichigen talks to.
import _ "github.com/ichigen-oms/ichigen/internal/channels"
