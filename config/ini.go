package config

import "bytes"

// parseINI reads the key = value files of npm (.npmrc) and pip (pip.conf):
// keys before any [section] sit at the top level, the others in an object
// per section. Lines starting with ; or # are comments. Values are taken
// as written, without quotes or interpolation, which is how both tools
// read a registry URL.
func parseINI(src []byte) (*Node, error) {
	l := newLines(src)
	root := &Node{Kind: Object, textAt: -1, Pos: l.pos(0, 0)}
	cur := root
	off := 0
	if bytes.HasPrefix(src, bom) {
		off = len(bom)
	}
	for off < len(src) {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += off
		}
		line := src[off:end]
		start := off
		off = end + 1
		lead := len(line) - len(bytes.TrimLeft(line, " \t"))
		text := bytes.TrimRight(line[lead:], " \t\r")
		if len(text) == 0 || text[0] == ';' || text[0] == '#' {
			continue
		}
		if text[0] == '[' {
			name := string(bytes.TrimSpace(bytes.Trim(text, "[]")))
			sec := &Node{Kind: Object, textAt: -1, Pos: l.pos(start+lead, start+lead+len(text))}
			root.Members = append(root.Members, Member{Key: name, KeyPos: sec.Pos, Value: sec})
			cur = sec
			continue
		}
		eq := bytes.IndexByte(text, '=')
		if eq < 0 {
			continue // a bare word: npm reads it as "true"; nothing of ours
		}
		key := bytes.TrimSpace(text[:eq])
		val := text[eq+1:]
		vlead := len(val) - len(bytes.TrimLeft(val, " \t"))
		vstart := start + lead + eq + 1 + vlead
		v := &Node{Kind: String, Text: string(val[vlead:]), textAt: vstart, l: l, Pos: l.pos(vstart, vstart+len(val)-vlead)}
		kstart := start + lead
		cur.Members = append(cur.Members, Member{Key: string(key), KeyPos: l.pos(kstart, kstart+len(key)), Value: v})
	}
	return root, nil
}
