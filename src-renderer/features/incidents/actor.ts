// Who the timeline says made a change: the OS account running the console (app.info's `user`).
import { useAppInfo } from '../../api/app';

export function useActor(): string {
  return useAppInfo().data?.user ?? '';
}
