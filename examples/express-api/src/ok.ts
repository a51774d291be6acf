import type { NextFunction, Request, Response } from 'express';
import { verifyToken } from './tokens';

const CHALLENGE = 'Bearer realm="orders"';

export async function requireToken(req: Request, res: Response, next: NextFunction) {
  const token = req.get('authorization')?.replace(/^Bearer /, '');
  if (!token) {
    return res.set('WWW-Authenticate', CHALLENGE).status(401).json({ error: 'sign in first' });
  }
  const claims = await verifyToken(token);
  if (!claims) {
    return res.set('WWW-Authenticate', `${CHALLENGE}, error="invalid_token"`).status(401).end();
  }
  if (!claims.scopes.includes('orders:write')) {
    return res.status(403).json({ error: 'insufficient_scope' });
  }
  next();
}
