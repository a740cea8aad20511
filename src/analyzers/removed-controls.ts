import type { ChangedFile } from "../domain/change-set.js";
import type { Finding } from "../domain/finding.js";
import { redactTokenShapes } from "../redact/redact.js";

/**
 * Security controls a change deletes: the deleted line held a control
 * (security middleware, a hardening call, an authentication, authorization
 * or CSRF check, a rate limit, a body-size limit) and no added line anywhere
 * in the change puts the same control back (a control moved to another file
 * or rewritten in place is not reported). Reported on the deleted line
 * (LEFT side, base numbering), so a review of what was taken out is not lost.
 */
interface Control {
  /** What the control does, for the title. */
  readonly what: string;
  /** Finds the control on a deleted line; the match (lower-cased) is looked for again in the added lines. */
  readonly pattern: RegExp;
}

const CONTROLS: readonly Control[] = [
  { what: "security headers", pattern: /\bhelmet\s*\(|\bSecurityMiddleware\b|\bXFrameOptionsMiddleware\b|\bsecure\.New\(|\bsecureheaders\b/i },
  {
    what: "CSRF protection",
    pattern: /\bcsurf\b|\bcsrfProtection\b|\bcsrf\s*\(|\bCsrfViewMiddleware\b|@csrf_protect\b|\bCSRFProtect\b|\bcsrf\.Protect\b|\bnosurf\b/,
  },
  {
    what: "rate limit",
    pattern: /\brateLimit\s*\(|\brateLimiter\b|\bslowDown\s*\(|@limiter\.limit\b|@ratelimit\b|\bhttprate\.\w+|\bthrottle_classes\b|\brate\.NewLimiter\b/,
  },
  {
    what: "authentication check",
    pattern:
      /@(?:login_required|jwt_required|auth_required|authenticated|requires_auth)\b|\b(?:requireAuth|requireUser|requireLogin|ensureLoggedIn|ensureAuthenticated|isAuthenticated|authenticateToken|verifyToken|RequireAuth|AuthMiddleware|authMiddleware)\b|\bpassport\.authenticate\(|Depends\(\s*(?:get_current_user|get_current_active_user|require_user)\b|\bpermission_classes\b/,
  },
  {
    what: "authorization check",
    pattern:
      /@(?:permission_required|admin_required|staff_member_required|user_passes_test|roles_required|requires_permission)\b|\b(?:requireRole|requireAdmin|requirePermission|checkPermission|authorize|RequireRole|RequireAdmin|CheckPermission)\s*\(|\braise\s+PermissionDenied\b|\babort\(\s*403\b|\bstatus\(\s*403\s*\)|\bStatusForbidden\b|\bHTTP_403_FORBIDDEN\b/,
  },
  {
    what: "request body size limit",
    pattern: /\bhttp\.MaxBytesReader\(|\bio\.LimitReader\(|\bDATA_UPLOAD_MAX_MEMORY_SIZE\b|\bMAX_CONTENT_LENGTH\b|\bbodyLimit\b/,
  },
  {
    what: "secure cookie or transport setting",
    pattern:
      /\b(?:SESSION_COOKIE_SECURE|CSRF_COOKIE_SECURE|SESSION_COOKIE_HTTPONLY|SECURE_SSL_REDIRECT|SECURE_HSTS_SECONDS)\s*=\s*(?:True|\d+)|\bhttpOnly\s*:\s*true\b|\bHttpOnly\s*:\s*true\b|\bsecure\s*:\s*true\b|\bSecure\s*:\s*true\b/,
  },
  {
    what: "output escaping or sanitizing",
    pattern: /\bDOMPurify\.sanitize\(|\bsanitizeHtml\(|\bescapeHtml\(|\bhtml\.EscapeString\(|\bbleach\.clean\(|\bmarkupsafe\.escape\(/,
  },
];

const COMMENT_LINE = /^\s*(?:\/\/|#|\/\*|\*|--)/;

export function removedControlFindings(files: readonly ChangedFile[]): Finding[] {
  // Every added line of the change: a control re-added anywhere (moved, rewritten) is not removed.
  const added = files
    .flatMap((file) => file.hunks.flatMap((hunk) => hunk.lines.filter((line) => line.kind === "add").map((line) => line.text)))
    .join("\n")
    .toLowerCase();
  const findings: Finding[] = [];
  for (const file of files) {
    if (file.status === "binary") continue;
    for (const hunk of file.hunks) {
      for (const line of hunk.lines) {
        if (line.kind !== "del" || line.oldLine === null || COMMENT_LINE.test(line.text)) continue;
        for (const control of CONTROLS) {
          const match = control.pattern.exec(line.text);
          if (!match || added.includes(match[0].toLowerCase())) continue;
          findings.push(finding(file, line.oldLine, control, line.text));
          break;
        }
      }
    }
  }
  return findings;
}

function finding(file: ChangedFile, line: number, control: Control, text: string): Finding {
  const code = redactTokenShapes(text.trim().replace(/\s+/g, " "));
  const quoted = code.length > 80 ? `${code.slice(0, 79)}…` : code;
  const where = file.status === "removed" ? "The file is deleted, and with it" : "This change deletes";
  return {
    path: file.path,
    line,
    startLine: null,
    side: "LEFT",
    severity: "P1",
    category: "security",
    title: `Security control removed: ${control.what}`,
    body: `${where} \`${quoted}\`, and no added line of the change puts it back.\n\nRemoving a ${control.what} opens what it protected (requests without the check, headers or limit it applied). If it moved elsewhere (a router, a gateway, a framework setting), say so in the pull request; otherwise restore it.\n\n<sub>Rule: \`longview/security-control-removed\`</sub>`,
    suggestion: null,
    confidence: 0.7,
    source: "longview-rules",
    ruleId: "longview/security-control-removed",
    corroboratedBy: [],
  };
}
