"""Browser-copy style render of an HTML tail (from <article to end), as described in
prov/SOURCES.md: ASCII whitespace runs collapsed; <br> and block starts/ends -> line break;
svg dropped; tags stripped; entities unescaped; spaces trimmed at line ends; empty lines dropped."""
import html, re, sys
src = open(sys.argv[1], encoding='utf-8').read()
src = src[src.index('<article'):]
src = re.sub(r'<svg\b.*?</svg>', '', src, flags=re.S)
src = re.sub(r'[ \t\r\n\f]+', ' ', src)
BLOCK = r'(?:p|div|h[1-6]|header|article|nav|li|tr|table)'
src = re.sub(r'<br\s*/?>', '\n', src, flags=re.I)
src = re.sub(r'</?%s\b[^>]*>' % BLOCK, '\n', src, flags=re.I)
src = re.sub(r'<[^>]+>', '', src)
src = html.unescape(src)
lines = [l.strip(' ') for l in src.split('\n')]
out = '\n'.join(l for l in lines if l) + '\n'
sys.stdout.write(out)
