package home

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"syscall"
	"testing"

	"github.com/pkg/sftp"
)

func TestClassify(t *testing.T) {
	path := func(e error) error {
		return fmt.Errorf("read directory: %w", &fs.PathError{Op: "openat", Path: "d", Err: e})
	}
	tests := []struct {
		name string
		err  error
		want class
	}{
		{"unreadable directory", path(syscall.EACCES), perFile},
		{"not permitted", path(syscall.EPERM), perFile},
		{"is a directory", path(syscall.EISDIR), perFile},
		{"read-only file system", path(syscall.EROFS), perFile},
		{"permission from SFTP", fmt.Errorf("open: %w", fs.ErrPermission), perFile},
		{"vanished", path(syscall.ENOENT), vanished},
		{"disk full", path(syscall.ENOSPC), fatal},
		{"quota", path(syscall.EDQUOT), fatal},
		{"disk full per SFTP", errors.Join(ErrNoSpace, errors.New("failure")), fatal},
		{"socket", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, fatal},
		{"timeout", &net.OpError{Op: "read", Net: "tcp", Err: errors.New("i/o timeout")}, fatal},
		{"cut stream", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), fatal},
		{"sftp gone", sftp.ErrSSHFxConnectionLost, fatal},
	}
	for _, tt := range tests {
		if got := classify(tt.err); got != tt.want {
			t.Errorf("%s: classify(%v) = %d, want %d", tt.name, tt.err, got, tt.want)
		}
	}
}
