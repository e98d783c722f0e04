package web

// The English of the server-side row counter of a large upload (issue 19's leftover).
func init() {
	for ja, en := range map[string]string{
		"%s行を確認済み(%sMB受信)": "%s rows checked (%s MB received)",
		"%sMB受信":           "%s MB received",
	} {
		if _, ok := english[ja]; !ok {
			english[ja] = en
		}
	}
}
