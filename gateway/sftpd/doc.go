// Package sftpd is the gateway's SFTP server. Partners log in with a key
// from their partner file (channels.sftp.authorized_keys) or a password
// whose bcrypt hash it holds, and see a virtual tree backed by the
// database, the same on every gateway node:
//
//	/inbound    write: a file is ingested, like an API upload, when its
//	            handle is closed; a temporary name (.tmp, .part, .filepart,
//	            or a leading ".") is kept until renamed to a final name, and
//	            an interrupted upload is never ingested
//	/outbound   the partner's outbox: read a file, then remove it to mark
//	            it picked up
//	/archive    read-only: the partner's received files, named
//	            "<id>-<status>-<filename>"
//
// Everything else is refused with an SFTP status: no such file outside the
// tree, permission denied for writes outside /inbound, for folders and for
// the archive, operation unsupported for links. Failed logins are counted
// per remote address and per user name; too many in a window lock both out
// for a while.
package sftpd
