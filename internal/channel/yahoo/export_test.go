package yahoo

// ForgetTokens empties this process's access tokens, as a second instance starts with none.
func ForgetTokens() {
	tokens.mu.Lock()
	defer tokens.mu.Unlock()
	tokens.m = map[string]cachedToken{}
}
