// Clinical notes: the list a page at a time, and one note's text. A note that is held, or that
// is not this patient's, answers 404 like a page that does not exist (never 403, which would
// say that something is there).
import { Router } from 'express';
import type { Services } from '../../../app.ts';
import { requireSignedIn } from '../../../middleware/setUpAuthentication.ts';
import { numberedPageOf, NOTES_PER_PAGE } from '../../../domain/recordLists.ts';
import { idFrom } from '../../forms.ts';
import { openCurrentPatient } from '../currentPatient.ts';
import { listHref, notesQueryOf } from './listQuery.ts';

export function noteRoutes(services: Services): Router {
  const router = Router();
  router.get('/patients/:patientId/notes', requireSignedIn('family'), openCurrentPatient(services, 'notes'), async (req, res) => {
    const query = notesQueryOf(req);
    const notes = await req.record!.notes();
    const path = `/patients/${req.patient!.patientId}/notes`;
    res.render('patients/record/notes.njk', {
      section: 'notes',
      notes: numberedPageOf(notes.items, query.page, NOTES_PER_PAGE),
      hrefFor: (page: number) => listHref(path, { page }, { page: 1 }),
      notices: notes.notices,
    });
  });

  router.get('/patients/:patientId/notes/:noteId', requireSignedIn('family'), openCurrentPatient(services, 'note', { oneItem: true }), async (req, res, next) => {
    const noteId = idFrom(req.params.noteId);
    const note = noteId === undefined ? undefined : await req.record!.note(noteId);
    await req.auditItem!({ type: 'note', id: noteId, shown: !!note });
    if (!note) return next('route');
    res.render('patients/record/note.njk', { section: 'notes', note });
  });
  return router;
}
