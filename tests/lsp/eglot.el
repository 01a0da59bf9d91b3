;;; eglot.el --- omen lsp through Emacs eglot, with the snippet of docs/editors.md -*- lexical-binding: t -*-
;;
;; Run by tests/lsp/eglot.sh as
;;   emacs --batch -Q -l eglot.el
;; with OMEN_SNIPPET (the elisp block of docs/editors.md, in a file) and OMEN_WORK (a directory
;; holding main.go and t.c, and db/rows.go) in the environment, and `omen' on PATH.
;; Emacs in batch mode has no command loop and no redisplay, and is never idle; eglot and flymake
;; rely on all three, so the test plays their part: after each step done as a command (opening a
;; file, typing, a code action) it runs `post-command-hook' (where `eglot-ensure' connects), runs
;; `window-configuration-change-hook' for a buffer it shows (where flymake starts in a new buffer),
;; and while it waits, runs each idle timer once when its idle time has passed since the command, as
;; the command loop does (eglot sends changes, and flymake asks eglot for diagnostics, from idle
;; timers). Ordinary timers and process output are handled by `accept-process-output'.
;; Exit status: 0 pass, 1 fail, 77 eglot or go-mode cannot be found.

(require 'cl-lib)
(require 'package)
;; what Debian's site-start does, skipped by -Q: the packages of elpa-eglot and elpa-go-mode
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)

(defvar omen-failed nil)
(defvar omen-timeout 20.0 "Seconds to wait for each thing the server should do.")

(dolist (lib '("eglot" "go-mode"))
  (unless (locate-library lib)
    (message "SKIP: the Emacs library %s is not installed" lib)
    (kill-emacs 77)))

(setq make-backup-files nil
      auto-save-default nil
      create-lockfiles nil
      vc-handled-backends nil)

;; the configuration under test, as users put it in init.el
(load (getenv "OMEN_SNIPPET") nil t t)

(defvar omen-idle-since (float-time) "When the last command ended.")
(defvar omen-idle-fired nil "The idle timers run since the last command ended.")

(defun omen-command (fn)
  "Call FN as the command loop calls a command, and return its value."
  (setq this-command fn)
  (prog1 (call-interactively fn)
    ;; as the command loop does, an error in the hook is shown, not raised
    (with-demoted-errors "post-command-hook: %S" (run-hooks 'post-command-hook))
    (setq last-command this-command
          this-command nil
          omen-idle-since (float-time)
          omen-idle-fired nil)))

(defun omen-run-idle-timers ()
  "Run, once per idle period, each idle timer whose time has come."
  (let ((idle (- (float-time) omen-idle-since)))
    (dolist (tm (copy-sequence timer-idle-list))
      (when (and (not (memq tm omen-idle-fired))
                 (>= idle (float-time (timer--time tm))))
        (push tm omen-idle-fired)
        (timer-event-handler tm)))))

(defun omen-wait (pred &optional secs)
  "Process output and timers until PRED returns non-nil or SECS (default `omen-timeout') pass."
  (let ((end (+ (float-time) (or secs omen-timeout))) v)
    (while (and (not (setq v (funcall pred))) (< (float-time) end))
      (accept-process-output nil 0.05)
      (omen-run-idle-timers))
    v))

(defun omen-dump ()
  "Print the eglot events and stderr buffers, for a failure."
  (dolist (b (buffer-list))
    (when (string-match-p "\\*EGLOT.*\\(events\\|stderr\\)\\*" (buffer-name b))
      (with-current-buffer b
        (message "---- %s (last 6000 characters)" (buffer-name b))
        (message "%s" (buffer-substring-no-properties (max (point-min) (- (point-max) 6000)) (point-max)))))))

(defun omen-ok (what) (message "ok: eglot: %s" what))

(defun omen-fail (fmt &rest args)
  (setq omen-failed t)
  (message "FAIL: eglot: %s" (apply #'format fmt args)))

(defun omen-open (file)
  "Visit FILE as with C-x C-f, show it (as redisplay would), and let `eglot-ensure' connect."
  (let ((buf (omen-command (lambda () (interactive) (find-file file)))))
    (with-current-buffer buf
      (run-hooks 'window-configuration-change-hook))
    (set-buffer buf)
    (omen-wait (lambda () (bound-and-true-p eglot--managed-mode)))
    ;; the user's next key (flymake may have deferred its start to the end of the next command,
    ;; when eglot connected within the command that opened the file)
    (omen-command #'ignore)
    buf))

(defun omen-rule (diag)
  "The rule id (LSP code) omen gave to the flymake diagnostic DIAG, through eglot."
  (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data diag))) :code))

(defun omen-diag (rule)
  "The first flymake diagnostic of the current buffer with the rule RULE."
  (cl-find-if (lambda (d) (equal (omen-rule d) rule))
              (sort (flymake-diagnostics)
                    (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b))))))

(defun omen-pos (pos)
  "POS as LINE:COLUMN, 1-based, the column in characters."
  (save-excursion
    (goto-char pos)
    (format "%d:%d" (line-number-at-pos) (1+ (- pos (line-beginning-position))))))

(defun omen-where (diag)
  (format "%s-%s" (omen-pos (flymake-diagnostic-beg diag)) (omen-pos (flymake-diagnostic-end diag))))

(defun omen-check-diag (rule want &optional old)
  "Wait for a diagnostic of RULE that is not OLD, and check that it spans WANT; return it."
  (let ((d (omen-wait (lambda () (let ((d (omen-diag rule))) (and d (not (eq d old)) d))))))
    (cond ((not d)
           (omen-fail "%s: no new diagnostic %s within %gs; flymake has: %S" (buffer-name) rule omen-timeout
                      (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))
           nil)
          ((not (equal (omen-where d) want))
           (omen-fail "%s: %s at %s, want %s" (buffer-name) rule (omen-where d) want)
           d)
          ((not (string-match-p (regexp-quote (format "[%s]" rule)) (flymake-diagnostic-text d)))
           (omen-fail "%s: flymake text without the rule: %S" (buffer-name) (flymake-diagnostic-text d))
           d)
          (t (omen-ok (format "%s: %s at %s: %s" (buffer-name) rule want (flymake-diagnostic-text d)))
             d))))

(defun omen-main (work)
  (let (server)
    ;; 1. a Go finding through flymake, then again after non-ASCII text inserted before it on its line
    (with-current-buffer (omen-open (expand-file-name "main.go" work))
      (setq server (and (fboundp 'eglot-current-server) (eglot-current-server)))
      (if (not (and server (eq major-mode 'go-mode)))
          (omen-fail "main.go: no eglot server in %s" major-mode)
        (omen-ok (format "main.go: %s started %S (Emacs %s, eglot %s)" major-mode
                         (process-command (jsonrpc--process server)) emacs-version
                         (let ((p (cadr (assq 'eglot package-alist))))
                           (if p (package-version-join (package-desc-version p)) "built in"))))
        (let ((d (omen-check-diag "missing-timeout/http-no-timeout" "6:7-6:21")))
          (when d
            (goto-char (point-min))
            (forward-line 5)
            (forward-char 1)
            ;; "/*é😀*/ " is 7 characters, 8 UTF-16 code units and 11 bytes
            (omen-command (lambda () (interactive) (insert "/*é😀*/ ")))
            (omen-check-diag "missing-timeout/http-no-timeout" "6:14-6:28" d)))))
    ;; 3. a C file of the same directory (the same project): the same server, with its finding
    (when server
      (with-current-buffer (omen-open (expand-file-name "t.c" work))
        (if (not (eq (eglot-current-server) server))
            (omen-fail "t.c: not managed by the server of main.go (%S)" (eglot-current-server))
          (omen-ok "t.c: c-mode is managed by the same omen server as main.go")
          (omen-check-diag "thread-leak/thread-not-joined" "7:3-7:39"))))
    ;; 2. a quick fix through `eglot-code-actions', as with M-x eglot-code-actions and point on the
    ;; finding: the safe fix of the first *sql.Rows leak, the default answer at the prompt
    (with-current-buffer (omen-open (expand-file-name "db/rows.go" work))
      (let* ((want (with-temp-buffer
                     (insert-file-contents (expand-file-name "db/rows.go.want" work))
                     (buffer-string)))
             ;; the leak reported at the return after é and an emoji
             (d (omen-check-diag "resource-leak/sql-rows-not-closed" "17:9-17:23"))
             (fix "add `defer rows.Close()` after the error check")
             titles default)
        (when d
          (goto-char (flymake-diagnostic-beg d))
          (cl-letf (((symbol-function 'completing-read)
                     ;; the prompt: the user presses RET, which answers the default
                     (lambda (_prompt items &optional _pred _req _init _hist def &rest _)
                       (setq titles (mapcar #'car items)
                             default def)))
                    ;; a key, not a mouse click: eglot asks with completing-read, not a popup menu
                    (last-nonmenu-event ?\r))
            (condition-case err
                (omen-command #'eglot-code-actions)
              (error (omen-fail "rows.go: eglot-code-actions: %s" (error-message-string err)))))
          ;; what omen offers there: its fix (preferred: the default), the ignore comment and the
          ;; fix of the whole file
          (unless (and (equal titles (list fix
                                           "Ignore resource-leak/sql-rows-not-closed on this line"
                                           "Fix all safe omen findings"))
                       (equal default fix))
            (omen-fail "rows.go: eglot-code-actions offered %S, default %S" titles default))
          (omen-wait (lambda () (equal (buffer-string) want)))
          (if (equal (buffer-string) want)
              (omen-ok (format "rows.go: applied %S, offered as the default" default))
            (omen-fail "rows.go: after the code action (offered: %S), the buffer is:\n%s\nwant:\n%s"
                       titles (buffer-string) want))
          ;; the fixed text is analyzed again: the first leak left is the second function's
          (omen-check-diag "resource-leak/sql-rows-not-closed" "30:2-30:15" d))))))

(condition-case err
    (omen-main (file-name-as-directory (getenv "OMEN_WORK")))
  (error (omen-fail "%S" err)))
(when omen-failed (omen-dump))
(ignore-errors (eglot-shutdown-all))
(kill-emacs (if omen-failed 1 0))
