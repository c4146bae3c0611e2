package sftpd

import (
	"context"
	"io"
	"log/slog"

	"github.com/pkg/sftp"
)

// ServePipe serves one SFTP session of partnerID over rwc without SSH, so
// benchmarks can tell the cost of the SSH transport from that of the
// handlers.
func (s *Server) ServePipe(ctx context.Context, partnerID string, rwc io.ReadWriteCloser) error {
	h := &handler{s: s, ctx: ctx, partnerID: partnerID, log: slog.New(slog.DiscardHandler)}
	rs := sftp.NewRequestServer(rwc, sftp.Handlers{FileGet: h, FilePut: h, FileCmd: h, FileList: h})
	defer rs.Close()
	return rs.Serve()
}
