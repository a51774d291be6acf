import { authStatusMismatch } from '../../../server/src/core/rules/auth-status-mismatch';
import { missingWwwAuthenticate } from '../../../server/src/core/rules/missing-www-authenticate';
import { runRuleTests } from '../../rule-tester';

const RESPONSE = (challenge: string) =>
  `401 response without a WWW-Authenticate header: clients cannot tell which authentication scheme to use (RFC 9110 §15.5.2). Set \`WWW-Authenticate: ${challenge}\` on this response.`;

runRuleTests(missingWwwAuthenticate, {
  valid: [
    {
      filename: 'middleware.ts',
      code: `import { NextResponse, type NextRequest } from 'next/server'

export function middleware(request: NextRequest) {
  const basicAuth = request.headers.get('authorization')
  if (basicAuth !== \`Basic \${btoa(\`admin:\${process.env.ADMIN_PASSWORD}\`)}\`) {
    return new NextResponse('Authentication required', {
      status: 401,
      headers: { 'WWW-Authenticate': 'Basic realm="Secure Area"' },
    })
  }
  return NextResponse.next()
}

export const config = { matcher: ['/admin/:path*'] }`,
    },
    // The header set on the response object after it is built, and a redirect to the login page.
    {
      filename: 'src/middleware.ts',
      code: `import { NextResponse, type NextRequest } from 'next/server'

export function middleware(request: NextRequest) {
  const session = request.cookies.get('session')?.value
  if (!session && request.nextUrl.pathname.startsWith('/api')) {
    const response = NextResponse.json({ error: 'Sign in first' }, { status: 401 })
    response.headers.set('WWW-Authenticate', 'Bearer realm="api"')
    return response
  }
  if (!session) return NextResponse.redirect(new URL('/login', request.url))
  return NextResponse.next()
}`,
    },
  ],
  invalid: [
    {
      filename: 'middleware.ts',
      code: `import { NextResponse, type NextRequest } from 'next/server'

export async function middleware(request: NextRequest) {
  const token = request.cookies.get('token')?.value
  if (!token) {
    return new NextResponse(null, { status: 401 })
  }
  return NextResponse.next()
}`,
      errors: [{ message: RESPONSE('Bearer realm="api"'), line: 6, column: 12, endLine: 6, endColumn: 51 }],
      output: `import { NextResponse, type NextRequest } from 'next/server'

export async function middleware(request: NextRequest) {
  const token = request.cookies.get('token')?.value
  if (!token) {
    return new NextResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } })
  }
  return NextResponse.next()
}`,
    },
  ],
});

runRuleTests(authStatusMismatch, {
  valid: [],
  invalid: [
    {
      name: 'a 403 when the token fails verification in middleware',
      filename: 'src/middleware.ts',
      code: `import { NextResponse, type NextRequest } from 'next/server'
import { jwtVerify } from 'jose'

const secret = new TextEncoder().encode(process.env.JWT_SECRET)

export async function middleware(request: NextRequest) {
  const token = request.cookies.get('token')?.value ?? ''
  try {
    await jwtVerify(token, secret)
    return NextResponse.next()
  } catch {
    return NextResponse.json({ error: 'Invalid token' }, { status: 403 })
  }
}`,
      errors: [{ message: /^this runs when `jwtVerify\(…\)` fails/, line: 12, column: 68, endLine: 12, endColumn: 71 }],
      output: `import { NextResponse, type NextRequest } from 'next/server'
import { jwtVerify } from 'jose'

const secret = new TextEncoder().encode(process.env.JWT_SECRET)

export async function middleware(request: NextRequest) {
  const token = request.cookies.get('token')?.value ?? ''
  try {
    await jwtVerify(token, secret)
    return NextResponse.next()
  } catch {
    return NextResponse.json({ error: 'Invalid token' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } })
  }
}`,
    },
  ],
});
