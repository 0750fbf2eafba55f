/**
 * Standard-library module lists. Standard modules are still reported (a question about `asyncio`
 * is a docs question too) but flagged `stdlib: true` so the preloader can rank them last.
 * Lists are static so results do not depend on the host's runtime version.
 */

/** Python 3.11 `sys.stdlib_module_names` (public modules, plus `__future__`). */
const PYTHON_STDLIB = new Set(
  `__future__ _thread abc aifc antigravity argparse array ast asynchat asyncio asyncore atexit audioop base64 bdb binascii bisect builtins bz2 cProfile calendar cgi cgitb chunk cmath cmd code codecs codeop collections colorsys compileall concurrent configparser contextlib contextvars copy copyreg crypt csv ctypes curses dataclasses datetime dbm decimal difflib dis distutils doctest email encodings ensurepip enum errno faulthandler fcntl filecmp fileinput fnmatch fractions ftplib functools gc genericpath getopt getpass gettext glob graphlib grp gzip hashlib heapq hmac html http idlelib imaplib imghdr imp importlib inspect io ipaddress itertools json keyword lib2to3 linecache locale logging lzma mailbox mailcap marshal math mimetypes mmap modulefinder msilib msvcrt multiprocessing netrc nis nntplib nt ntpath nturl2path numbers opcode operator optparse os ossaudiodev pathlib pdb pickle pickletools pipes pkgutil platform plistlib poplib posix posixpath pprint profile pstats pty pwd py_compile pyclbr pydoc pydoc_data pyexpat queue quopri random re readline reprlib resource rlcompleter runpy sched secrets select selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket socketserver spwd sqlite3 sre_compile sre_constants sre_parse ssl stat statistics string stringprep struct subprocess sunau symtable sys sysconfig syslog tabnanny tarfile telnetlib tempfile termios textwrap this threading time timeit tkinter token tokenize tomllib trace traceback tracemalloc tty turtle turtledemo types typing unicodedata unittest urllib uu uuid venv warnings wave weakref webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo`.split(
    ' ',
  ),
);

/** Node.js built-in modules (top-level names; `fs/promises` normalises to `fs`). */
const NODE_BUILTINS = new Set(
  `assert async_hooks buffer child_process cluster console constants crypto dgram diagnostics_channel dns domain events fs http http2 https inspector module net os path perf_hooks process punycode querystring readline repl stream string_decoder sys timers tls trace_events tty url util v8 vm wasi worker_threads zlib test sqlite sea`.split(
    ' ',
  ),
);

const RUST_STD = new Set(['std', 'core', 'alloc', 'proc_macro', 'test']);

const C_STD_HEADERS = new Set(
  `assert complex ctype errno fenv float inttypes iso646 limits locale math setjmp signal stdalign stdarg
  stdatomic stdbit stdbool stdckdint stddef stdint stdio stdlib stdnoreturn string tgmath threads time uchar
  wchar wctype unistd pthread fcntl dirent sys algorithm any array atomic barrier bit bitset cassert cctype
  cerrno cfenv cfloat charconv chrono cinttypes climits clocale cmath codecvt compare complex concepts
  condition_variable coroutine csetjmp csignal cstdarg cstddef cstdint cstdio cstdlib cstring ctime cuchar
  cwchar cwctype deque exception execution expected filesystem format forward_list fstream functional future
  initializer_list iomanip ios iosfwd iostream istream iterator latch limits list locale map memory
  memory_resource mutex new numbers numeric optional ostream print queue random ranges ratio regex
  scoped_allocator semaphore set shared_mutex source_location span sstream stack stacktrace stdexcept
  stop_token streambuf string string_view syncstream system_error thread tuple type_traits typeindex
  typeinfo unordered_map unordered_set utility valarray variant vector version`.split(/\s+/),
);

const RUBY_STDLIB = new Set(
  `json set net uri open-uri fileutils yaml psych erb time date securerandom digest csv logger optparse
  pathname tempfile socket stringio benchmark pp English open3 ostruct forwardable singleton observer
  timeout zlib base64 bigdecimal io etc find shellwords tmpdir monitor delegate objspace ripper coverage
  openssl rbconfig weakref prettyprint readline racc abbrev matrix prime`.split(/\s+/),
);

export function isPythonStdlib(module: string): boolean {
  return PYTHON_STDLIB.has(module);
}

export function isNodeBuiltin(module: string): boolean {
  return module.startsWith('node:') || NODE_BUILTINS.has(module);
}

/** Go: standard packages are the import paths whose first element has no dot (`net/http`). */
export function isGoStdlib(importPath: string): boolean {
  const first = importPath.split('/')[0] ?? '';
  return !first.includes('.') && importPath !== 'C';
}

export function isRustStd(crate: string): boolean {
  return RUST_STD.has(crate);
}

export function isJavaStdlib(pkg: string): boolean {
  return /^(java|javax|jdk)(\.|$)/.test(pkg);
}

export function isCStdHeader(header: string): boolean {
  return C_STD_HEADERS.has(header);
}

export function isDotnetStdlib(namespace: string): boolean {
  return /^System(\.|$)/.test(namespace);
}

export function isRubyStdlib(feature: string): boolean {
  return RUBY_STDLIB.has(feature);
}
