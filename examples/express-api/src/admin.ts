import { Router } from 'express';
import { requireUser } from './auth';

export const admin = Router();
admin.use(requireUser);

admin.delete('/users/:id', (req, res) => {
  if (res.locals.user.role !== 'admin') {
    return res.status(401).json({ error: 'admins only' });
  }
  res.status(204).end();
});
