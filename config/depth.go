package config

// maxNesting bounds bracket nesting before parsing: the JSON and TOML
// parsers recurse with no limit of their own, and hostile input must not
// exhaust the stack.
const maxNesting = 512

// shape reads src by the lexical rules of syn, before any parser does:
// it finds the first bracket past maxNesting (ok false, with its place),
// and counts the separators and openers outside strings and comments: a
// value follows each, so that bounds the values a parser would build. The read must never
// see a string or comment where the parser sees brackets, so every rule
// errs towards "outside": a string ends at a newline (the parsers stop
// there with an error anyway). YAML's nesting needs no check: its parser
// stops at 10,000 levels itself, and the tree built from it stops at
// maxYAMLDepth.
func shape(src []byte, syn syntax) (line, col int, ok bool, values int) {
	var skip func(src []byte, i int) int
	switch syn {
	case jsonSyntax:
		skip = skipJSON
	case tomlSyntax:
		skip = skipTOML
	default:
		for _, c := range src {
			if c == ',' || c == ':' || c == '-' || c == '[' || c == '{' {
				values++
			}
		}
		return 0, 0, true, values
	}
	depth := 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '[', '{':
			values++
			depth++
			if depth > maxNesting {
				line, col = newLines(src).at(i)
				return line, col, false, values
			}
		case ']', '}':
			depth--
		case ',', '=':
			values++
		default:
			i = skip(src, i)
		}
	}
	return 0, 0, true, values
}

// skipJSON returns the last byte of the string or comment starting at i,
// or i. JSON with comments (hujson): "…" strings with backslash escapes,
// // and /* */ comments; a quote of any other kind is a syntax error.
func skipJSON(src []byte, i int) int {
	switch {
	case src[i] == '"':
		return skipQuoted(src, i, '"', true)
	case src[i] == '/' && i+1 < len(src) && src[i+1] == '/':
		return skipLine(src, i)
	case src[i] == '/' && i+1 < len(src) && src[i+1] == '*':
		for j := i + 2; j+1 < len(src); j++ {
			if src[j] == '*' && src[j+1] == '/' {
				return j + 1
			}
		}
		return len(src)
	}
	return i
}

// skipTOML: # comments; basic strings in double quotes, with escapes;
// literal strings in single quotes, without; and the multi-line forms of
// both in tripled quotes, which may end in up to two more quotes that
// belong to the content.
func skipTOML(src []byte, i int) int {
	c := src[i]
	switch {
	case c == '#':
		return skipLine(src, i)
	case c != '"' && c != '\'':
		return i
	case i+2 < len(src) && src[i+1] == c && src[i+2] == c:
		for j := i + 3; j < len(src); j++ {
			if c == '"' && src[j] == '\\' {
				j++
				continue
			}
			if src[j] == c && j+2 < len(src) && src[j+1] == c && src[j+2] == c {
				end := j + 2
				for k := 0; k < 2 && end+1 < len(src) && src[end+1] == c; k++ {
					end++
				}
				return end
			}
		}
		return len(src)
	default:
		return skipQuoted(src, i, c, c == '"')
	}
}

// skipQuoted returns the closing quote of a one-line string, or the
// newline that ends it unclosed.
func skipQuoted(src []byte, i int, quote byte, escapes bool) int {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			if escapes && j+1 < len(src) && src[j+1] != '\n' {
				j++
			}
		case quote, '\n':
			return j
		}
	}
	return len(src)
}

func skipLine(src []byte, i int) int {
	for j := i; j < len(src); j++ {
		if src[j] == '\n' {
			return j
		}
	}
	return len(src)
}
