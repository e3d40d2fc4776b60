package hardware

import (
	"regexp"
	"strconv"
	"strings"
)

// This file holds the grammar of single dmesg lines: small functions from
// one line (or part of one) to values, each tested by a table.

// isInstance reports whether s names a device instance: a lowercase
// driver name and a unit number (sd0, iwm0, cpu12, usb_0 never occurs).
func isInstance(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	last := s[len(s)-1]
	if last < '0' || last > '9' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// driverOf returns the driver of an instance name: iwm0 -> iwm.
func driverOf(name string) string {
	return strings.TrimRight(name, "0123456789")
}

// parseAttach splits an attach line "name at parent rest": name is an
// instance, parent an instance or root; rest keeps its leading separator.
func parseAttach(l string) (name, parent, rest string, ok bool) {
	i := strings.Index(l, " at ")
	if i <= 0 || !isInstance(l[:i]) {
		return "", "", "", false
	}
	r := l[i+4:]
	j := strings.IndexAny(r, " :,")
	if j < 0 {
		j = len(r)
	}
	parent = r[:j]
	if parent != "root" && !isInstance(parent) {
		return "", "", "", false
	}
	return l[:i], parent, r[j:], true
}

// parseMessage splits a device message "name: text".
func parseMessage(l string) (name, msg string, ok bool) {
	i := strings.IndexByte(l, ':')
	if i <= 0 || !isInstance(l[:i]) {
		return "", "", false
	}
	return l[:i], strings.TrimSpace(l[i+1:]), true
}

// describe picks a device's description from the rest of its attach line:
// the quoted product ("Intel WiFi Link 5100"), a vendor with an unknown
// product, the unquoted product of old dmesgs (function 0 Intel 82801FB
// USB rev 0x04), or else the text after the colon.
func describe(rest string) string {
	if i := strings.Index(rest, `vendor "`); i >= 0 {
		d := rest[i+len(`vendor "`):]
		if j := strings.Index(d, " rev "); j >= 0 {
			d = d[:j]
		} else if j := strings.IndexByte(d, ':'); j >= 0 {
			d = d[:j]
		}
		return strings.Replace(d, `", `, " ", 1)
	}
	if i := strings.IndexByte(rest, '"'); i >= 0 {
		if j := strings.IndexByte(rest[i+1:], '"'); j >= 0 {
			return rest[i+1 : i+1+j]
		}
	}
	if i := strings.Index(rest, "function "); i >= 0 {
		d := rest[i+len("function "):]
		if k := strings.IndexByte(d, ' '); k >= 0 {
			d = d[k+1:]
			if j := strings.Index(d, " rev 0x"); j >= 0 {
				return d[:j]
			}
		}
	}
	if i := strings.Index(rest, ": "); i >= 0 {
		return strings.TrimSpace(rest[i+2:])
	}
	return ""
}

// notConfigured matches "<what> at <parent>[ more] not configured".
var notConfigured = regexp.MustCompile(`^(.+?) at ([a-z][a-z0-9_]*[0-9]+)(?:[ :,].*)? not configured$`)

var trailingRev = regexp.MustCompile(` rev \S+$`)

// parseNotConfigured reads a device no driver took.
func parseNotConfigured(l string) (NotConfigured, bool) {
	m := notConfigured.FindStringSubmatch(l)
	if m == nil {
		return NotConfigured{}, false
	}
	head := m[1]
	switch {
	case strings.HasPrefix(head, `vendor "`):
		head = strings.Replace(strings.TrimPrefix(head, `vendor "`), `", `, " ", 1)
	case strings.HasPrefix(head, `"`):
		if j := strings.IndexByte(head[1:], '"'); j >= 0 {
			head = head[1 : 1+j]
		}
	default:
		head = trailingRev.ReplaceAllString(head, "")
	}
	return NotConfigured{Description: head, Parent: m[2]}, true
}

// parseMemory reads "real mem = 8415944704 (8026MB)" and the older forms
// "real mem  = 526864384 (514516K)", "real memory  = N (NK bytes)",
// "total memory = N" and "physical memory = N".
func parseMemory(l string) (int64, bool) {
	if !strings.HasPrefix(l, "real mem") && !strings.HasPrefix(l, "total memory") && !strings.HasPrefix(l, "physical memory") {
		return 0, false
	}
	i := strings.IndexByte(l, '=')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(l[i+1:])
	if len(f) == 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// diskGeometry is what a disk's size line says.
type diskGeometry struct {
	mb, sectorSize, sectors int64
	thin                    bool
}

// parseDiskSize reads the size message of sdN or wdN:
//
//	239372MB, 4096 bytes/sector, 61279344 sectors[, thin]
//	1-sector PIO, LBA48, 122104MB, 250069680 sectors   (wd: 512-byte sectors)
//	17501MB, 20765 cyl, 3 head, 575 sec, 512 bytes/sec, 35843670 sec total
func parseDiskSize(msg string) (diskGeometry, bool) {
	var g diskGeometry
	seen := false
	for _, part := range strings.Split(msg, ", ") {
		part = strings.TrimSpace(part)
		var num, unit string
		if f := strings.Fields(part); len(f) >= 2 {
			num, unit = f[0], f[1]
			if unit == "sec" && len(f) >= 3 && f[2] == "total" {
				unit = "sec total"
			}
		}
		switch {
		case part == "thin":
			g.thin = true
		case strings.HasSuffix(part, "MB") && !strings.Contains(part, " ") && !seen:
			if n, err := strconv.ParseInt(strings.TrimSuffix(part, "MB"), 10, 64); err == nil {
				g.mb, seen = n, true
			}
		case unit == "bytes/sector" || unit == "bytes/sec":
			if n, err := strconv.ParseInt(num, 10, 64); err == nil {
				g.sectorSize = n
			}
		case unit == "sectors" || unit == "sec total":
			if n, err := strconv.ParseInt(num, 10, 64); err == nil {
				g.sectors, seen = n, true
			}
		}
	}
	return g, seen
}

// bytes is the disk's size: sectors × sector size (512 when the line does
// not say, as wd's never does), else the MB figure.
func (g diskGeometry) bytes() int64 {
	if g.sectors > 0 {
		ss := g.sectorSize
		if ss <= 0 {
			ss = 512
		}
		if g.sectors <= (1<<62)/ss {
			return g.sectors * ss
		}
	}
	if g.mb > 0 && g.mb <= (1<<62)>>20 {
		return g.mb << 20
	}
	return 0
}

// parseDiskModel reads the <...> inquiry of a disk attach line:
// <VENDOR, MODEL, REV> for sd, <MODEL> for wd. Bus names that say nothing
// about the drive (ATA, NVMe, USB) are left out of the model.
func parseDiskModel(rest string) string {
	i := strings.IndexByte(rest, '<')
	j := strings.LastIndexByte(rest, '>')
	if i < 0 || j < i {
		return ""
	}
	parts := strings.Split(rest[i+1:j], ",")
	for k := range parts {
		parts[k] = strings.TrimSpace(parts[k])
	}
	if len(parts) < 3 {
		return strings.Join(parts, ", ")
	}
	vendor, product := parts[0], strings.Join(parts[1:len(parts)-1], ",")
	switch vendor {
	case "ATA", "NVMe", "USB", "":
		return product
	}
	return vendor + " " + product
}

// macAfterAddress returns the MAC following "address " in l, lowercased,
// and whether an address (real or masked) was there at all. A masked
// address (XXX, xx:xx:xx:xx:xx:xx) or an all-zero one gives "".
func macAfterAddress(l string) (mac string, seen bool) {
	i := strings.LastIndex(l, "address ")
	if i < 0 {
		return "", false
	}
	tok := l[i+len("address "):]
	// A MAC is 17 characters; what follows may be glued on by a bad join.
	if len(tok) >= 17 && isMAC(tok[:17]) && (len(tok) == 17 || !isHex(tok[17]) && tok[17] != ':') {
		mac = strings.ToLower(tok[:17])
		if mac == "00:00:00:00:00:00" || mac == "ff:ff:ff:ff:ff:ff" {
			return "", true
		}
		return mac, true
	}
	if j := strings.IndexAny(tok, " ,;)"); j >= 0 {
		tok = tok[:j]
	}
	if isMaskedMAC(tok) || len(tok) > 17 && isMaskedMAC(tok[:17]) || strings.HasPrefix(tok, "XXX") || strings.HasPrefix(tok, "xxx") {
		return "", true
	}
	return "", false
}

// isMaskedMAC recognises the ways people hide a MAC: XXX, or six groups
// with x in them (xx:xx:xx:xx:xx:xx, 00:11:22:xx:xx:xx).
func isMaskedMAC(tok string) bool {
	if len(tok) >= 3 && strings.Trim(tok, "xX") == "" {
		return true
	}
	groups := strings.Split(tok, ":")
	if len(groups) != 6 {
		return false
	}
	masked := false
	for _, g := range groups {
		if len(g) == 0 || len(g) > 2 {
			return false
		}
		for i := 0; i < len(g); i++ {
			switch c := g[i]; {
			case c == 'x' || c == 'X':
				masked = true
			case !isHex(c):
				return false
			}
		}
	}
	return masked
}
