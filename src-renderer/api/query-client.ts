import { QueryClient } from '@tanstack/react-query';
import { ContractError } from '../../src-shared/contract-error';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // Domain errors (bad input, missing scope) will not fix themselves by retrying.
      retry: (count, error) => !(error instanceof ContractError) && count < 2,
    },
  },
});
