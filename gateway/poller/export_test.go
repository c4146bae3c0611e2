package poller

// SetHook sets the function a poll calls at the points tests stop at:
// "received" right after Receive committed a file, "recorded" after its
// pickup was completed, before the remote file is removed, "removed" after
// it was removed, before that is recorded.
func SetHook(c *Config, hook func(event, remotePath string)) { c.hook = hook }
