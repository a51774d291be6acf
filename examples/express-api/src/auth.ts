import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';

const SECRET = process.env.JWT_SECRET ?? 'dev-secret';

export function requireUser(req: Request, res: Response, next: NextFunction) {
  const header = req.get('authorization');
  if (!header?.startsWith('Bearer ')) {
    return res.status(401).json({ error: 'sign in first' });
  }
  try {
    res.locals.user = jwt.verify(header.slice(7), SECRET);
  } catch {
    return res.status(403).json({ error: 'invalid or expired token' });
  }
  next();
}
