# fish completion for godwit(1): commands, options, TARGET values (the
# versions of the migration directory, head, base) and backend names.

function __godwit_commands
    godwit help 2>/dev/null | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\).*/\1/p'
end

function __godwit_versions
    set -l dir migrations
    set -l args (commandline -opc)
    for i in (seq (count $args))
        switch $args[$i]
            case -d --dir
                set dir $args[(math $i + 1)]
            case '--dir=*'
                set dir (string replace -- --dir= '' $args[$i])
        end
    end
    for f in $dir/*.sql
        string replace -r -f '^([0-9]+)_.*' '$1' (basename $f)
    end
end

function __godwit_no_command
    for w in (commandline -opc)[2..-1]
        if contains -- $w (__godwit_commands)
            return 1
        end
    end
    return 0
end

complete -c godwit -f
complete -c godwit -n __godwit_no_command -a '(__godwit_commands)'
complete -c godwit -n '__fish_seen_subcommand_from up down goto stamp' -a '(__godwit_versions) head base'
complete -c godwit -n '__fish_seen_subcommand_from show' -a '(__godwit_versions) head current'
complete -c godwit -n '__fish_seen_subcommand_from help' -a '(__godwit_commands)'
complete -c godwit -s u -l url -r -d 'database URL'
complete -c godwit -s d -l dir -r -a '(__fish_complete_directories)' -d 'migration directory'
complete -c godwit -s c -l config -r -F -d 'configuration file'
complete -c godwit -l table -r -d 'history table'
complete -c godwit -l schema -r -d 'history schema'
complete -c godwit -l backend-path -r -a '(__fish_complete_directories)' -d 'plugin directories'
complete -c godwit -l lock-timeout -r -d 'seconds to wait for locks'
complete -c godwit -l lock-retries -r -d 'retries after a lock timeout'
complete -c godwit -l color -x -a 'auto always never' -d 'colour'
complete -c godwit -s v -l verbose -d 'say where each setting came from'
complete -c godwit -s q -l quiet -d 'no progress lines'
complete -c godwit -s h -l help -d 'help'
complete -c godwit -l version -d 'version, backend ABI, plugin directory'
complete -c godwit -l format -x -a 'text json' -d 'output format'
complete -c godwit -l sql -d 'print the SQL, run nothing'
complete -c godwit -l backend -x -a '(godwit backends 2>/dev/null | awk \'$3 ~ /\\// { print $1 }\')' -d 'backend'
complete -c godwit -n '__fish_seen_subcommand_from import' -l from -x -a 'golang-migrate dbmate goose sqlx diesel flyway' -d 'tool'
complete -c godwit -n '__fish_seen_subcommand_from import' -l history -d "adopt the tool's history table"
complete -c godwit -n '__fish_seen_subcommand_from status' -l check -d 'exit 3 unless all applied'
complete -c godwit -n '__fish_seen_subcommand_from verify' -l strict -d 'column order fails'
complete -c godwit -n '__fish_seen_subcommand_from diff' -l scratch -r -d 'scratch database URL'
complete -c godwit -n '__fish_seen_subcommand_from repair' -l resume -d 'go on from the failed statement'
complete -c godwit -n '__fish_seen_subcommand_from repair' -l mark-applied
complete -c godwit -n '__fish_seen_subcommand_from repair' -l mark-reverted
complete -c godwit -n '__fish_seen_subcommand_from up status' -l fleet -r -F -d 'a file of targets, one per line'
complete -c godwit -n '__fish_seen_subcommand_from up status' -s j -l jobs -x -d 'fleet targets at a time'
complete -c godwit -n '__fish_seen_subcommand_from up' -l fail-fast -d 'start no target after one failed'
