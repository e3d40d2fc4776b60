package home

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// IDMap maps user and group ids of the source machine to those of the
// target, by name: a user "peter" keeps being "peter" when his uid is
// 1000 on one machine and 1001 on the other. Ids without a name on
// either side are kept as they are.
type IDMap struct {
	uids, gids map[int]int
}

// NewIDMap builds the map from the two machines' /etc/passwd and
// /etc/group files.
func NewIDMap(srcPasswd, srcGroup, dstPasswd, dstGroup io.Reader) (*IDMap, error) {
	m := &IDMap{}
	var err error
	if m.uids, err = mapByName(srcPasswd, dstPasswd); err != nil {
		return nil, err
	}
	if m.gids, err = mapByName(srcGroup, dstGroup); err != nil {
		return nil, err
	}
	return m, nil
}

func mapByName(src, dst io.Reader) (map[int]int, error) {
	s, err := ParseIDs(src)
	if err != nil {
		return nil, err
	}
	d, err := ParseIDs(dst)
	if err != nil {
		return nil, err
	}
	byName := map[string]int{}
	for id, name := range d {
		byName[name] = id
	}
	m := map[int]int{}
	for id, name := range s {
		if to, ok := byName[name]; ok {
			m[id] = to
		}
	}
	return m, nil
}

// ParseIDs reads the id → name pairs of a passwd(5) or group(5) file
// (name in the first field, id in the third). Malformed lines are
// skipped, as getpwent(3) does.
func ParseIDs(r io.Reader) (map[int]string, error) {
	ids := map[int]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Split(sc.Text(), ":")
		if len(f) < 3 || f[0] == "" || strings.HasPrefix(f[0], "#") {
			continue
		}
		id, err := strconv.Atoi(f[2])
		if err != nil {
			continue
		}
		if _, dup := ids[id]; !dup {
			ids[id] = f[0]
		}
	}
	return ids, sc.Err()
}

// Map returns the target's uid and gid for a source uid and gid. A nil
// map keeps ids as they are.
func (m *IDMap) Map(uid, gid int) (int, int) {
	if m == nil {
		return uid, gid
	}
	if to, ok := m.uids[uid]; ok {
		uid = to
	}
	if to, ok := m.gids[gid]; ok {
		gid = to
	}
	return uid, gid
}
