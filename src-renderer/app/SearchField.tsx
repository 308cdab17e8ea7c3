// The search box of a filter bar: typing narrows the list and sends it back to its first page.
import { TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';

export function SearchField({ placeholder, value, onSearch }: { placeholder: string; value: string; onSearch: (text: string) => void }) {
  return (
    <TextInput
      label="Search"
      placeholder={placeholder}
      leftSection={<IconSearch size={14} />}
      value={value}
      onChange={(e) => onSearch(e.currentTarget.value)}
      w={260}
    />
  );
}
